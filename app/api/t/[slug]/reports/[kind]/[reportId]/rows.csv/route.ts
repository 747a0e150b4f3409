// A preview's or reconciliation report's lines as CSV, read through the same tenant-checked procedures as the screen.
import { TRPCError } from "@trpc/server";
import { REPORT_CSV_HEADER, reportCsvLines } from "@/server/reports/csv";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

type Params = { slug: string; kind: string; reportId: string };

export async function GET(request: Request, { params }: { params: Promise<Params> }) {
  const { slug, kind, reportId } = await params;
  if (kind !== "preview" && kind !== "reconciliation") return new Response("Not found.", { status: 404 });
  const caller = createCaller(await createContext(request));
  const reports = caller[kind];
  try {
    await reports.get({ tenantSlug: slug, reportId });
  } catch (error) {
    const status = error instanceof TRPCError && error.code === "UNAUTHORIZED" ? 401 : 404;
    return new Response(status === 401 ? "Sign in first." : "Not found.", { status });
  }
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      controller.enqueue(encoder.encode(REPORT_CSV_HEADER));
      for (let cursor: number | null = null; ; ) {
        const page = await reports.rows({ tenantSlug: slug, reportId, cursor, limit: 500 });
        controller.enqueue(encoder.encode(reportCsvLines(page.rows)));
        cursor = page.nextCursor;
        if (cursor === null) break;
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ledgerlink-${kind}-${reportId}.csv"`,
    },
  });
}

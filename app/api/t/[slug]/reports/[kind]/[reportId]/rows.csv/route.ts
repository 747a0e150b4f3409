// A preview's or reconciliation report's lines as CSV, read through the same tenant-checked procedures as the screen.
import { csvDownload, refusal } from "@/server/http/csv-download";
import { REPORT_CSV_HEADER, reportCsvLines } from "@/server/reports/csv";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

type Params = { slug: string; kind: string; reportId: string };

export async function GET(request: Request, { params }: { params: Promise<Params> }) {
  const { slug, kind, reportId } = await params;
  if (kind !== "preview" && kind !== "reconciliation") return new Response("Not found.", { status: 404 });
  const reports = createCaller(await createContext(request))[kind];
  try {
    await reports.get({ tenantSlug: slug, reportId });
  } catch (error) {
    return refusal(error);
  }
  return csvDownload(`ledgerlink-${kind}-${reportId}.csv`, REPORT_CSV_HEADER, async (cursor) => {
    const page = await reports.rows({ tenantSlug: slug, reportId, cursor, limit: 500 });
    return { lines: reportCsvLines(page.rows), nextCursor: page.nextCursor };
  });
}

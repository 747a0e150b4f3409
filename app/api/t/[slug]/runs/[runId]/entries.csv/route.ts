// A run's entries as CSV, read through the same tenant-checked procedure as the screen.
import { TRPCError } from "@trpc/server";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

// Spreadsheet programs run cells that start with these: prefix them so a message can't become a formula.
const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; runId: string }> }) {
  const { slug, runId } = await params;
  const caller = createCaller(await createContext(request));
  try {
    await caller.sync.run({ tenantSlug: slug, runId });
  } catch (error) {
    const status = error instanceof TRPCError && error.code === "UNAUTHORIZED" ? 401 : 404;
    return new Response(status === 401 ? "Sign in first." : "Not found.", { status });
  }
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      controller.enqueue(encoder.encode("time,entity,splynx_id,action,message\n"));
      let cursor: number | null = null;
      do {
        const page: {
          entries: { createdAt: Date; entity: string; splynxId: string; action: string; message: string | null }[];
          nextCursor: number | null;
        } = await caller.sync.entries({ tenantSlug: slug, runId, cursor, limit: 500 });
        controller.enqueue(
          encoder.encode(
            page.entries
              .map((entry) =>
                [entry.createdAt, entry.entity, entry.splynxId, entry.action, entry.message].map(cell).join(","),
              )
              .join("\n") + (page.entries.length ? "\n" : ""),
          ),
        );
        cursor = page.nextCursor;
      } while (cursor !== null);
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="ledgerlink-run-${runId}.csv"`,
    },
  });
}

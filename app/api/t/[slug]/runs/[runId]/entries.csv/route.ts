// A run's entries as CSV, read through the same tenant-checked procedure as the screen: what a person reconciles by
// (customer, document number, Zoho id) beside the ids, and times in the tenant's zone with their offset.
import { TRPCError } from "@trpc/server";
import { isoInZone } from "@/app/_components/time";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

// Spreadsheet programs run cells that start with these: prefix them so a message can't become a formula.
const cell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const HEADER = "entity,splynx_id,customer,document_number,zoho_id,action,message,time,time_zone\n";

type EntryRow = {
  createdAt: Date;
  entity: string;
  splynxId: string;
  customerName: string | null;
  documentNumber: string | null;
  zohoId: string | null;
  action: string;
  message: string | null;
};

export async function GET(request: Request, { params }: { params: Promise<{ slug: string; runId: string }> }) {
  const { slug, runId } = await params;
  const caller = createCaller(await createContext(request));
  let timeZone: string;
  try {
    await caller.sync.run({ tenantSlug: slug, runId });
    timeZone = await caller.settings.timeZone({ tenantSlug: slug });
  } catch (error) {
    const status = error instanceof TRPCError && error.code === "UNAUTHORIZED" ? 401 : 404;
    return new Response(status === 401 ? "Sign in first." : "Not found.", { status });
  }
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      controller.enqueue(encoder.encode(HEADER));
      let cursor: number | null = null;
      do {
        const page: { entries: EntryRow[]; nextCursor: number | null } = await caller.sync.entries({
          tenantSlug: slug,
          runId,
          cursor,
          limit: 500,
        });
        controller.enqueue(
          encoder.encode(
            page.entries
              .map((entry) =>
                [
                  entry.entity,
                  entry.splynxId,
                  entry.customerName,
                  entry.documentNumber,
                  entry.zohoId,
                  entry.action,
                  entry.message,
                  isoInZone(entry.createdAt, timeZone),
                  timeZone,
                ]
                  .map(cell)
                  .join(","),
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

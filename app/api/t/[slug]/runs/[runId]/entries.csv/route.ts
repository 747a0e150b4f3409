// A run's entries as CSV, read through the same tenant-checked procedure as the screen: what a person reconciles by
// (customer, document number, Zoho id) beside the ids, and times in the tenant's zone with their offset.
import { isoInZone } from "@/app/_components/time";
import { csvDownload, csvLine, refusal } from "@/server/http/csv-download";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

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
    return refusal(error);
  }
  const line = (entry: EntryRow) =>
    csvLine([
      entry.entity,
      entry.splynxId,
      entry.customerName,
      entry.documentNumber,
      entry.zohoId,
      entry.action,
      entry.message,
      isoInZone(entry.createdAt, timeZone),
      timeZone,
    ]);
  return csvDownload(`ledgerlink-run-${runId}.csv`, HEADER, async (cursor) => {
    const page: { entries: EntryRow[]; nextCursor: number | null } = await caller.sync.entries({
      tenantSlug: slug,
      runId,
      cursor,
      limit: 500,
    });
    return { lines: page.entries.map(line).join(""), nextCursor: page.nextCursor };
  });
}

// A report's lines as CSV text.
import type { ReportRow } from "@/db/queries/reports";
import { csvLine } from "@/server/http/csv-download";

export const REPORT_CSV_HEADER = "entity,splynx_id,record,customer_id,zoho_id,action,message,details\n";

/** One line per row; `details` as "key=value; …" (a reconciliation's totals and statuses). */
export function reportCsvLines(rows: Pick<ReportRow, keyof ReportRow>[]): string {
  return rows
    .map((row) =>
      csvLine([
        row.entity,
        row.splynxId,
        row.label,
        row.customerId,
        row.zohoId,
        row.action,
        row.message,
        Object.entries(row.details ?? {})
          .map(([key, value]) => `${key}=${value}`)
          .join("; "),
      ]),
    )
    .join("");
}

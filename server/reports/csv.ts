// A report's lines as CSV text: cells a spreadsheet would run as a formula are prefixed, so a message stays text.
import type { ReportRow } from "@/db/queries/reports";

export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const REPORT_CSV_HEADER = "entity,splynx_id,record,customer_id,zoho_id,action,message,details\n";

/** One line per row; `details` as "key=value; …" (a reconciliation's totals and statuses). */
export function reportCsvLines(rows: Pick<ReportRow, keyof ReportRow>[]): string {
  return rows
    .map((row) =>
      [
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
      ]
        .map(csvCell)
        .join(","),
    )
    .map((line) => `${line}\n`)
    .join("");
}

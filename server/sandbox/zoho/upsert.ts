// PUT /<resource> without an id (contacts, invoices, customer payments…): the record whose custom field holds the value
// named by X-Unique-Identifier-Key/-Value; with X-Upsert, none means "create it".
import { zohoError, type BooksCall } from "./api";
import type { BooksRecord } from "./store";

/** The record to update, null to create, or Zoho's refusal. */
export function upsertTarget(
  call: BooksCall,
  records: Iterable<BooksRecord>,
  missing: string,
): BooksRecord | null | Response {
  const key = call.request.headers.get("X-Unique-Identifier-Key");
  const value = call.request.headers.get("X-Unique-Identifier-Value");
  if (!key || value === null)
    return zohoError(400, 4, "X-Unique-Identifier-Key and X-Unique-Identifier-Value are required.");
  const holdsValue = (record: BooksRecord) =>
    ((record.custom_fields as BooksRecord[] | undefined) ?? []).some(
      (field) => field.api_name === key && String(field.value) === value,
    );
  const target = [...records].find(holdsValue);
  if (target) return target;
  return call.request.headers.get("X-Upsert") === "true" ? null : zohoError(404, 1002, missing);
}

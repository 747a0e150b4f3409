// The tenant's index of Zoho customers (the pairing cache), kept up to date with a few list pages instead of a call per customer.
import { cacheSummary, upsertCachedContacts, type CachedContact } from "@/db/queries/pairing";
import type { ZohoRecord } from "@/server/zoho/books";
import type { SyncContext } from "./entity";

// Zoho's clocks and ours differ a little, and a contact changed mid-listing may move between pages.
const OVERLAP_MS = 10 * 60_000;

export const cachedContactFrom = (contact: ZohoRecord): CachedContact => ({
  contactId: String(contact.contact_id),
  name: String(contact.contact_name ?? ""),
  email: String(contact.email ?? ""),
  companyName: String(contact.company_name ?? ""),
});

const modifiedAt = (contact: ZohoRecord) => Date.parse(String(contact.last_modified_time ?? ""));

/**
 * Reads Zoho's customers newest-changed first and stops at the first page older than the last refresh. The order of
 * `sort_order` is not in Zoho's OpenAPI file: when the answer is not newest first, every page is read.
 */
export async function refreshContactIndex(context: SyncContext): Promise<void> {
  const startedAt = new Date();
  const { contacts: known, loadedAt } = await cacheSummary(context.db, context.tenantId);
  const since = known > 0 && loadedAt ? loadedAt.getTime() - OVERLAP_MS : null;
  const query = since === null ? {} : { sort_column: "last_modified_time", sort_order: "D" };
  for await (const page of context.books.customers(query)) {
    await upsertCachedContacts(context.db, {
      tenantId: context.tenantId,
      contacts: page.map(cachedContactFrom),
      loadedAt: startedAt,
    });
    const times = page.map(modifiedAt);
    const newestFirst = times.every((time, index) => index === 0 || time <= times[index - 1]!);
    if (since !== null && newestFirst && times.length > 0 && times.at(-1)! < since) return;
  }
}

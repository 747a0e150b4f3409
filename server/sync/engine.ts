// The sync engine: one page of Splynx records decided and written to Zoho, every record accounted for (SPEC §6).
import type { Db } from "@/db/client";
import { cancelRequested } from "@/db/queries/runs";
import { addEntries, linkedZohoIds, linksFor, writeLink, type EntryInput, type Link } from "@/db/queries/sync";
import type { RunCounts } from "@/db/schema";
import type { SplynxClient } from "@/server/splynx/client";
import type { Customer } from "@/server/splynx/records";
import type { ZohoBooksClient, ZohoRecord } from "@/server/zoho/books";
import { ZohoError } from "@/server/zoho/errors";
import { contactFor, customerEligibility, mergeContactPersons } from "./customers";
import { fingerprintOf } from "./fingerprint";
import type { Settings } from "./settings";

export type SyncContext = { db: Db; tenantId: string; runId: string; splynx: SplynxClient; books: ZohoBooksClient; settings: Settings; currencyId: string | null };

/** Ends the run early and cleanly: the daily quota is spent, Zoho no longer accepts the connection, or a person cancelled. */
export class RunStop extends Error {
  constructor(
    message: string,
    readonly status: "failed" | "cancelled",
  ) {
    super(message);
  }
}

export type PageResult = { lastId: number | null; records: number; counts: RunCounts; zohoCalls: number };
const emptyCounts = (): RunCounts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 });

/**
 * Finds the contact a crashed or timed-out create may have made, by its natural key: the exact name and the primary
 * e-mail. Names repeat among customers, so a contact another link already holds is never taken.
 */
async function findExistingContact(context: SyncContext, payload: ZohoRecord): Promise<string | undefined> {
  const name = String(payload.contact_name);
  const email = String((payload.contact_persons as ZohoRecord[])[0]?.email ?? "");
  const candidates: string[] = [];
  for await (const page of context.books.customers({ contact_name: name })) {
    candidates.push(...page.filter((contact) => contact.contact_name === name && String(contact.email ?? "") === email).map((contact) => String(contact.contact_id)));
  }
  const taken = await linkedZohoIds(context.db, { tenantId: context.tenantId, entity: "customer", zohoIds: candidates });
  return candidates.find((id) => !taken.has(id));
}

type Outcome = { action: EntryInput["action"]; message?: string };

async function syncCustomer(context: SyncContext, customer: Customer, link: Link | undefined): Promise<Outcome> {
  const { db, tenantId, books, settings } = context;
  const base = { tenantId, entity: "customer" as const, splynxId: String(customer.id), label: customer.name };
  const linked = Boolean(link?.zohoId);
  const eligibility = customerEligibility(customer, settings, linked);
  if (!eligibility.eligible) {
    await writeLink(db, { ...base, state: "skipped", zohoId: link?.zohoId ?? null, fingerprint: link?.fingerprint ?? null, message: eligibility.rule, manual: link?.manual });
    return { action: "skipped", message: eligibility.rule };
  }
  const payload = contactFor(customer, settings, context.currencyId);
  const fingerprint = fingerprintOf(payload);
  if (link?.zohoId && link.state === "synced" && link.fingerprint === fingerprint) return { action: "unchanged" };

  try {
    if (link?.zohoId) {
      const body = settings.customers.checkDataBeforeExport ? mergeContactPersons(payload, await books.getContact(link.zohoId)) : payload;
      await books.updateContact(link.zohoId, body);
      await writeLink(db, { ...base, state: "synced", zohoId: link.zohoId, fingerprint, manual: link.manual });
      return { action: "updated" };
    }
    // An earlier attempt (a pending intent, or a failed create) may have reached Zoho: look before creating again.
    if (link) {
      const existing = await findExistingContact(context, payload);
      if (existing) {
        await books.updateContact(existing, payload);
        await writeLink(db, { ...base, state: "synced", zohoId: existing, fingerprint });
        return { action: "adopted", message: "Found in Zoho after an interrupted create." };
      }
    }
    await writeLink(db, { ...base, state: "pending", zohoId: null, fingerprint: null });
    const created = await books.createContact(payload);
    await writeLink(db, { ...base, state: "synced", zohoId: String(created.contact_id), fingerprint });
    return { action: "created" };
  } catch (error) {
    if (error instanceof ZohoError && (error.kind === "daily_quota" || error.kind === "unauthorized")) throw new RunStop(error.message, "failed");
    const message = error instanceof Error ? error.message : String(error);
    await writeLink(db, { ...base, state: "failed", zohoId: link?.zohoId ?? null, fingerprint: link?.fingerprint ?? null, message, manual: link?.manual });
    return { action: "failed", message };
  }
}

/** Syncs these customers one by one, checking for a cancel between them; every one is logged unless unchanged. */
export async function syncCustomers(context: SyncContext, customers: Customer[], rejected: { id: string | null; field: string; message: string }[] = []) {
  const counts = emptyCounts();
  const callsBefore = context.books.calls;
  const entries: EntryInput[] = rejected.map((record) => ({ entity: "customer" as const, splynxId: record.id ?? "?", action: "failed" as const, message: `Splynx sent an unreadable record: ${record.field}: ${record.message}` }));
  counts.failed += rejected.length;
  const links = await linksFor(context.db, { tenantId: context.tenantId, entity: "customer", splynxIds: customers.map((customer) => String(customer.id)) });
  try {
    for (const customer of customers) {
      if (await cancelRequested(context.db, { tenantId: context.tenantId, runId: context.runId })) throw new RunStop("Cancelled by a person.", "cancelled");
      const outcome = await syncCustomer(context, customer, links.get(String(customer.id)));
      counts[outcome.action === "adopted" ? "created" : (outcome.action as keyof RunCounts)]++;
      if (outcome.action !== "unchanged") entries.push({ entity: "customer", splynxId: String(customer.id), action: outcome.action, message: outcome.message });
    }
  } finally {
    await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries });
  }
  return { counts, zohoCalls: context.books.calls - callsBefore };
}

/** Syncs the customers after `after` (one Splynx page); a durable step of the run. */
export async function syncCustomerPage(context: SyncContext, input: { after: number; pageSize: number }): Promise<PageResult> {
  const pages = context.splynx.pages("customers", { after: input.after, pageSize: input.pageSize });
  const first = await pages.next();
  await pages.return(undefined);
  const page = first.done ? undefined : first.value;
  if (!page) return { lastId: null, records: 0, counts: emptyCounts(), zohoCalls: 0 };
  const { counts, zohoCalls } = await syncCustomers(context, page.records, page.rejected);
  return { lastId: page.lastId, records: page.records.length + page.rejected.length, counts, zohoCalls };
}

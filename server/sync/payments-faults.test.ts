// Payments both ways under the fault mix, over many payments: Zoho's 5xx answers, timeouts and answers lost after the
// write for the export; Splynx's answers lost after the write for the import. Zero duplicates, zero drops, the counts on
// both sides equal, and nothing travels back where it came from.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { syncLinks, type SyncEntity } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import type { ZohoRecord } from "@/server/zoho/books";
import { todayIn } from "./payments-import";
import { ORGANIZATION, syncHarness } from "./testing/harness";
import { depositToUndepositedFunds, recordOnInvoice } from "./testing/payments";

const database = registerTestDatabase();
// Splynx's seeded methods 1–3 are exported; 7 ("Zoho Books") is the accounting method imported payments get.
const SETTINGS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { enabled: true, accountingMethodId: "7" },
};
const IMPORT_ALL = { paymentsImportMode: "all" } as const;
type Harness = Awaited<ReturnType<typeof syncHarness>>;

/** Customers and invoices in Zoho, and every payment method deposited to Undeposited Funds. */
async function invoicesInZoho() {
  const harness = await syncHarness(database.db, { customers: 24, invoices: 120, settings: SETTINGS });
  await harness.mapSuggestions();
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  await depositToUndepositedFunds(database.db, harness.tenant.id, org);
  expect(await harness.runEntity("invoice")).toMatchObject({ failed: 0 });
  return { harness, org };
}

async function linksOf(tenantId: string, entity: SyncEntity) {
  return database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, entity)));
}

/** How many times each key occurs, keeping only those that occur more than once. */
function repeated(keys: string[]): string[] {
  const seen = new Map<string, number>();
  for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
  return [...seen].filter(([, count]) => count > 1).map(([key, count]) => `${key} ×${count}`);
}

/** A payment on each Zoho invoice of an unpaid Splynx invoice that still has a balance, recorded in Zoho itself. */
async function recordInZoho(harness: Harness, org: { invoices: Map<string, ZohoRecord> }) {
  const invoiceLinks = await linksOf(harness.tenant.id, "invoice");
  const unpaid = invoiceLinks.filter((link) => {
    const splynx = harness.splynx.store.invoices.get(Number(link.splynxId))!;
    return (
      splynx.status === "not_paid" && Number(splynx.due) > 0 && Number(org.invoices.get(link.zohoId!)!.balance) > 0
    );
  });
  const books = harness.context("zoho-user").books;
  const recorded: ZohoRecord[] = [];
  for (const link of unpaid) {
    const invoice = org.invoices.get(link.zohoId!)!;
    recorded.push(await recordOnInvoice(books, invoice, Math.min(Number(invoice.balance), 10)));
  }
  return recorded;
}

describe("payments under the fault mix", () => {
  it("exports every payment exactly once under Zoho 5xx answers, timeouts and lost answers; none comes back", async () => {
    const { harness, org } = await invoicesInZoho();
    const payments = harness.splynx.store.payments.all();
    expect(payments.length).toBeGreaterThan(60);
    Object.assign(harness.zoho.faults, { dropRate: 0.05, dropPhase: "after", serverErrorRate: 0.05 });
    // Every 40th create: Zoho takes it, and the answer comes only after the client has given up (its 2 s timeout).
    let creates = 0;
    let timedOut = 0;
    harness.refusals.push(async (request) => {
      if (request.method !== "POST" || !request.url.includes("/customerpayments?") || ++creates % 40 !== 0) return null;
      await harness.zoho.handle(request.clone());
      timedOut++;
      return new Promise<never>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    });
    const first = await harness.runEntity("payment");
    expect(first.failed).toBeGreaterThan(0);
    expect(timedOut).toBeGreaterThanOrEqual(2);
    harness.zoho.resetFaults();
    harness.refusals.length = 0;
    expect(await harness.runEntity("payment", 200, { retry: true })).toMatchObject({ failed: 0, stopped: undefined });

    const inZoho = [...org.payments.values()];
    expect(repeated(inZoho.map((payment) => String(payment.reference_number)))).toEqual([]);
    expect(inZoho.map((payment) => String(payment.reference_number)).sort()).toEqual(
      payments.map((payment) => String(payment.receipt_number)).sort(),
    );
    const links = await linksOf(harness.tenant.id, "payment");
    expect(links.filter((link) => link.state === "synced")).toHaveLength(payments.length);
    expect(new Set(links.map((link) => link.zohoId)).size).toBe(payments.length);

    // The loop: what the export recorded in Zoho (adopted after a lost answer too) never comes into Splynx.
    const splynxBefore = harness.splynx.store.payments.size;
    expect(await harness.runEntity("payment_import", 200, IMPORT_ALL)).toMatchObject({
      created: 0,
      skipped: payments.length,
      failed: 0,
    });
    expect(harness.splynx.store.payments.size).toBe(splynxBefore);
    expect(await harness.runEntity("payment")).toMatchObject({ created: 0, updated: 0, zohoCalls: 0 });
  }, 120_000);

  it("imports every Zoho payment exactly once, on one statement line, when Splynx loses answers after the write; none goes back", async () => {
    const { harness, org } = await invoicesInZoho();
    expect(await harness.runEntity("payment")).toMatchObject({ failed: 0 });
    const exported = org.payments.size;
    const recorded = await recordInZoho(harness, org);
    expect(recorded.length).toBeGreaterThan(20);
    const splynxBefore = harness.splynx.store.payments.size;

    Object.assign(harness.splynx.faults, { dropRate: 0.1, dropPhase: "after" });
    const first = await harness.runEntity("payment_import");
    expect(first.failed).toBeGreaterThan(0);
    harness.splynx.resetFaults();
    expect(await harness.runEntity("payment_import", 200, { retry: true })).toMatchObject({
      failed: 0,
      stopped: undefined,
    });

    const zohoIds = new Set(recorded.map((payment) => String(payment.payment_id)));
    const imported = harness.splynx.store.payments.all().filter((payment) => zohoIds.has(String(payment.field_1)));
    expect(repeated(imported.map((payment) => String(payment.field_1)))).toEqual([]);
    expect(imported).toHaveLength(recorded.length);
    expect(harness.splynx.store.payments.size).toBe(splynxBefore + recorded.length);
    const lines = harness.splynx.store.bankStatementRecords.all();
    expect(repeated(lines.map((line) => String(line.payment_id)))).toEqual([]);
    expect(lines.map((line) => Number(line.payment_id)).sort()).toEqual(
      imported.map((payment) => Number(payment.id)).sort(),
    );
    const statements = harness.splynx.store.bankStatements
      .all()
      .filter((statement) => String(statement.title).startsWith("Ledgerlink"));
    expect(statements.map((statement) => statement.title)).toEqual([
      `Ledgerlink: payments from Zoho Books ${todayIn("UTC").slice(0, 7)}`,
    ]);
    const links = await linksOf(harness.tenant.id, "payment_import");
    expect(links.filter((link) => zohoIds.has(link.splynxId) && link.state === "synced")).toHaveLength(recorded.length);

    // The loop: the imported payments never go to Zoho, and nothing is imported twice.
    expect(await harness.runEntity("payment")).toMatchObject({ created: 0, failed: 0, skipped: recorded.length });
    expect(org.payments.size).toBe(exported + recorded.length);
    expect(await harness.runEntity("payment_import", 200, IMPORT_ALL)).toMatchObject({ created: 0, failed: 0 });
    expect(harness.splynx.store.payments.size).toBe(splynxBefore + recorded.length);
  }, 120_000);
});

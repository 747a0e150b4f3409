// Invoices through the engine (SPEC §6.2): numbers, totals to the cent, sent, once; voided on delete; refusals kept.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { syncLinks } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { finishRun } from "@/db/queries/runs";
import { finishEntity, type PageProgress } from "./engine";
import { ORGANIZATION, syncHarness } from "./testing/harness";

const database = registerTestDatabase();

async function invoiceLinks(tenantId: string) {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, "invoice")));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

async function exported(options: { customers?: number; invoices?: number; settings?: unknown } = {}) {
  const harness = await syncHarness(database.db, {
    customers: options.customers ?? 20,
    invoices: options.invoices ?? 60,
    settings: options.settings,
  });
  await harness.mapSuggestions();
  return {
    harness,
    org: harness.zoho.store.organizations.get(ORGANIZATION)!,
    splynxInvoices: harness.splynx.store.invoices.all(),
  };
}

const live = (invoice: Record<string, unknown>) =>
  invoice.status !== "deleted" && compare(String(invoice.total), "0") >= 0 && (invoice.items as unknown[]).length > 0;

describe("invoices to Zoho", () => {
  it("exports every invoice once with its number and Splynx's total to the cent, customers first, sent; a re-run costs nothing", async () => {
    const { harness, org, splynxInvoices } = await exported();
    const eligible = splynxInvoices.filter(live);
    expect(eligible.length).toBeGreaterThan(30);
    const run = await harness.runEntity("invoice");
    expect(run).toMatchObject({ failed: 0, held: 0 });
    expect(org.contacts.size).toBeGreaterThan(0);
    const zohoByNumber = new Map(
      [...org.invoices.values()].map((invoice) => [String(invoice.invoice_number), invoice]),
    );
    expect(zohoByNumber.size).toBe(eligible.length);
    for (const invoice of eligible) {
      const zoho = zohoByNumber.get(String(invoice.number))!;
      expect(compare(String(zoho.total), String(invoice.total)), `invoice ${String(invoice.number)}`).toBe(0);
      expect(zoho.status).not.toBe("draft");
    }
    const links = await invoiceLinks(harness.tenant.id);
    expect([...links.values()].filter((link) => link.state === "synced")).toHaveLength(eligible.length);
    expect(await harness.runEntity("invoice")).toMatchObject({ zohoCalls: 0, created: 0, updated: 0 });
  });

  it.each(["item_level", "entity_level"] as const)(
    "totals to the cent with Zoho's tax rounding %s, tax groups included, learning it from Zoho's first answer",
    async (taxRounding) => {
      const { harness, org, splynxInvoices } = await exported({ invoices: 150 });
      harness.zoho.setPreferences(ORGANIZATION, { taxRounding });
      await harness.runCustomers();
      const run = await harness.runEntity("invoice");
      const eligible = splynxInvoices.filter(live);
      expect(run).toMatchObject({ created: eligible.length, failed: 0 });
      const grouped = eligible.filter((invoice) =>
        (invoice.items as { tax_id: number }[]).some((item) => item.tax_id === 5),
      );
      expect(grouped.length).toBeGreaterThan(0);
      const zohoByNumber = new Map(
        [...org.invoices.values()].map((invoice) => [String(invoice.invoice_number), invoice]),
      );
      for (const invoice of eligible)
        expect(
          compare(String(zohoByNumber.get(String(invoice.number))!.total), String(invoice.total)),
          String(invoice.number),
        ).toBe(0);
      // Two calls an invoice (create, mark sent), the organization and the tax group read once, and at most one
      // correction: the first answer tells the tax rounding, so later invoices are computed right the first time.
      expect(run.zohoCalls).toBeLessThanOrEqual(2 * eligible.length + 3);
    },
  );

  it("sends an invoice in another currency with Zoho's exchange rate for its date, and fails one dated before any rate", async () => {
    const { harness, org, splynxInvoices } = await exported({
      invoices: 30,
      settings: { general: { currencyCode: "EUR" } },
    });
    await harness.runCustomers();
    const euro = [...org.currencies.values()].find((currency) => currency.currency_code === "EUR")!;
    const rates = org.exchangeRates.get(String(euro.currency_id))!;
    const early = splynxInvoices.filter(live)[0]!;
    early.date_created = "2001-01-01";
    const run = await harness.runEntity("invoice");
    expect(run).toMatchObject({ created: splynxInvoices.filter(live).length - 1, failed: 1 });
    for (const invoice of org.invoices.values()) {
      const effective = rates.filter((rate) => String(rate.effective_date) <= String(invoice.date)).at(-1)!;
      expect(invoice.exchange_rate, String(invoice.invoice_number)).toBe(effective.rate);
      expect(invoice.currency_code).toBe("EUR");
    }
    const failed = (await invoiceLinks(harness.tenant.id)).get(String(early.id))!;
    expect(failed.message).toBe(
      "Zoho holds no EUR → GBP exchange rate on or before 2001-01-01: add one in Zoho Books (Settings → Currencies).",
    );
  });

  it("never duplicates under lost answers after the create, 5xx answers and timeouts, over 2,000 invoices", async () => {
    const { harness, org, splynxInvoices } = await exported({ customers: 200, invoices: 2000 });
    // Two runs of 2,000 invoices with retries need more than the professional plan's 5,000 calls a day.
    Object.assign(org.details, { plan: "premium" });
    await harness.runCustomers();
    Object.assign(harness.zoho.faults, { dropRate: 0.04, dropPhase: "after", serverErrorRate: 0.04 });
    // Every 300th create: Zoho takes it, and the answer comes only after the client has given up (its 2 s timeout).
    let creates = 0;
    let timedOut = 0;
    harness.refusals.push(async (request) => {
      if (request.method !== "POST" || !request.url.includes("/invoices?") || ++creates % 300 !== 0) return null;
      await harness.zoho.handle(request.clone());
      timedOut++;
      return new Promise<never>((_, reject) =>
        request.signal.addEventListener("abort", () => reject(request.signal.reason)),
      );
    });
    const first = await harness.runEntity("invoice");
    expect(first.failed).toBeGreaterThan(0);
    expect(timedOut).toBeGreaterThanOrEqual(5);
    harness.zoho.resetFaults();
    harness.refusals.length = 0;
    const second = await harness.runEntity("invoice", 200, { retry: true });
    expect(second.failed).toBe(0);
    expect(second.stopped).toBeUndefined();
    const eligible = splynxInvoices.filter(live);
    expect(org.invoices.size).toBe(eligible.length);
    expect([...org.invoices.values()].filter((invoice) => invoice.status === "draft")).toEqual([]);
    const links = [...(await invoiceLinks(harness.tenant.id)).values()].filter((link) => link.state === "synced");
    expect(new Set(links.map((link) => link.zohoId)).size).toBe(eligible.length);
  }, 180_000);

  it("fails an invoice whose category has no Zoho item, naming the mapping to fix, and exports it once mapped", async () => {
    const { harness, org, splynxInvoices } = await exported({ invoices: 20 });
    const { saveMappings, listMappings } = await import("@/db/queries/mapping");
    const mapped = await listMappings(database.db, { tenantId: harness.tenant.id, kind: "category_item" });
    const category = String(
      (splynxInvoices.find(live)!.items as { categoryIdForTransaction: number }[])[0]!.categoryIdForTransaction,
    );
    await saveMappings(database.db, {
      tenantId: harness.tenant.id,
      kind: "category_item",
      entries: [{ splynxId: category, zohoValue: null }],
    });
    const first = await harness.runEntity("invoice");
    expect(first.failed).toBeGreaterThan(0);
    const failed = [...(await invoiceLinks(harness.tenant.id)).values()].filter((link) => link.state === "failed");
    for (const link of failed)
      expect(link.message).toMatch(
        /^Transaction category '.+' has no Zoho item: map it on Mapping → Accounting categories\.$/,
      );
    await saveMappings(database.db, {
      tenantId: harness.tenant.id,
      kind: "category_item",
      entries: [{ splynxId: category, zohoValue: mapped.find((row) => row.splynxId === category)!.zohoValue }],
    });
    expect(await harness.runEntity("invoice", 200, { retry: true })).toMatchObject({
      created: failed.length,
      failed: 0,
    });
    expect(org.invoices.size).toBe(splynxInvoices.filter(live).length);
  });

  it("finishes an invoice created but not marked sent by the next run, without creating it again", async () => {
    const { harness, org, splynxInvoices } = await exported({ invoices: 10 });
    await harness.runCustomers();
    let creates = 0;
    const crash = await harness.runEntity("invoice", 200, {
      crashPoint: (point) => {
        if (point === "after-link" && ++creates === 3) throw new Error("Zoho did not answer the mark-sent in time");
      },
    });
    expect(crash.failed).toBe(1);
    const drafts = [...org.invoices.values()].filter((invoice) => invoice.status === "draft");
    expect(drafts).toHaveLength(1);
    expect(await harness.runEntity("invoice", 200, { retry: true })).toMatchObject({ updated: 1, zohoCalls: 1 });
    expect(org.invoices.size).toBe(splynxInvoices.filter(live).length);
    expect([...org.invoices.values()].filter((invoice) => invoice.status === "draft")).toHaveLength(0);
  });

  it("adopts an invoice whose number Zoho already holds with the same customer and total, and fails one that differs", async () => {
    const { harness, org, splynxInvoices } = await exported({ invoices: 12 });
    await harness.runEntity("invoice");
    const [same, other] = [...(await invoiceLinks(harness.tenant.id)).values()].filter(
      (link) => link.state === "synced",
    );
    // Links lost (a reset): the invoices are in Zoho, and a first create meets their numbers.
    const { deleteLinks } = await import("./testing/links");
    await deleteLinks(database.db, harness.tenant.id, "invoice");
    const otherInvoice = org.invoices.get(other!.zohoId!)!;
    Object.assign(otherInvoice, { total: Number(otherInvoice.total) + 1 });
    const run = await harness.runEntity("invoice");
    const links = await invoiceLinks(harness.tenant.id);
    expect(links.get(same!.splynxId)).toMatchObject({ state: "synced", zohoId: same!.zohoId });
    expect(links.get(other!.splynxId)!.message).toMatch(
      new RegExp(`^Zoho invoice ${other!.zohoId} already holds number .+ and it is not this invoice`),
    );
    expect(run.failed).toBe(1);
    expect(org.invoices.size).toBe(splynxInvoices.filter(live).length);
    // Tried again (a person's retry), the refused create left nothing to find: the other invoice is never taken over.
    const otherTotal = otherInvoice.total;
    expect(await harness.runEntity("invoice", 200, { retry: true })).toMatchObject({ failed: 1, created: 0 });
    expect((await invoiceLinks(harness.tenant.id)).get(other!.splynxId)).toMatchObject({
      state: "failed",
      zohoId: null,
    });
    expect(otherInvoice.total).toBe(otherTotal);
  });

  it("voids in Zoho an invoice deleted in Splynx, once, and keeps Zoho's refusal to edit a paid invoice on the record", async () => {
    const { harness, org, splynxInvoices } = await exported({ invoices: 12 });
    await harness.runEntity("invoice");
    const links = await invoiceLinks(harness.tenant.id);
    const [toDelete, toPay] = splynxInvoices.filter(live);
    toDelete!.status = "deleted";
    // Paid in full in Zoho: its balance is zero.
    const paid = org.invoices.get(links.get(String(toPay!.id))!.zohoId!)!;
    Object.assign(paid, { payment_made: paid.total, balance: 0 });
    toPay!.note = "changed after payment";
    (toPay!.items as { description: string }[])[0]!.description += " (amended)";
    const run = await harness.runEntity("invoice");
    expect(org.invoices.get(links.get(String(toDelete!.id))!.zohoId!)!.status).toBe("void");
    const after = await invoiceLinks(harness.tenant.id);
    expect(after.get(String(toDelete!.id))).toMatchObject({
      state: "skipped",
      message: "Deleted in Splynx. Voided in Zoho.",
    });
    expect(after.get(String(toPay!.id))).toMatchObject({
      state: "failed",
      message: "You cannot edit an invoice that is paid.",
    });
    expect(run).toMatchObject({ updated: 1, failed: 1 });
    // An invoice removed from Splynx altogether is found by the sweep after the last page, and voided too.
    const gone = splynxInvoices.filter(live)[2]!;
    harness.splynx.store.invoices.remove(Number(gone.id));
    const { createRun } = await import("@/db/queries/runs");
    const sweepRun = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["invoice"],
    });
    const sweep = harness.context(sweepRun.id);
    const reported: PageProgress[] = [];
    sweep.reportProgress = async (grown) => void reported.push(grown);
    await finishEntity(sweep, "invoice", 0);
    expect(org.invoices.get(links.get(String(gone.id))!.zohoId!)!.status).toBe("void");
    // The void counts in the run (updated), without counting as a record of its pages.
    const counted = reported.reduce((sum, grown) => sum + grown.counts.updated, 0);
    expect([counted, reported.reduce((sum, grown) => sum + grown.records, 0)]).toEqual([1, 0]);
    expect((await invoiceLinks(harness.tenant.id)).get(String(gone.id))).toMatchObject({
      state: "skipped",
      message: "Gone from Splynx. Voided in Zoho.",
      label: `Invoice ${String(gone.number)}`,
    });
    await finishRun(database.db, { tenantId: harness.tenant.id, runId: sweepRun.id, status: "succeeded" });
    // The voided ones cost nothing again; the refused one is tried once more on the next run, then backs off.
    expect(await harness.runEntity("invoice")).toMatchObject({ zohoCalls: 1, failed: 1 });
    expect(await harness.runEntity("invoice")).toMatchObject({ zohoCalls: 0, failed: 1 });
  });
});

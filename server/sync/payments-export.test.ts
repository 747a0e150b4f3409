// Payments to Zoho (SPEC §6.3): applied to the invoice they pay, the rest kept as credit; once; never back to Zoho.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { syncLinks } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { ORGANIZATION, syncHarness } from "./testing/harness";
import { depositToUndepositedFunds } from "./testing/payments";

const database = registerTestDatabase();
// Splynx's seeded methods: 1 cash, 2 bank transfer, 3 credit card; 7 ("Zoho Books") is the accounting method payments from Zoho get.
const SETTINGS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3", "7"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { accountingMethodId: "7" },
};

async function paymentLinks(tenantId: string) {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, "payment")));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

async function exported() {
  const harness = await syncHarness(database.db, { customers: 30, invoices: 80, settings: SETTINGS });
  await harness.mapSuggestions();
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  await depositToUndepositedFunds(database.db, harness.tenant.id, org);
  const payments = harness.splynx.store.payments.all();
  return { harness, org, payments };
}

describe("payments to Zoho", () => {
  it("exports each payment once, its customer and invoice first, applied to the invoice it pays; a re-run costs nothing", async () => {
    const { harness, org, payments } = await exported();
    expect(payments.length).toBeGreaterThan(20);
    const run = await harness.runEntity("payment");
    expect(run).toMatchObject({ failed: 0 });
    expect(org.payments.size).toBe(payments.length);
    const byReference = new Map(
      [...org.payments.values()].map((payment) => [String(payment.reference_number), payment]),
    );
    const links = await paymentLinks(harness.tenant.id);
    const invoiceLinks = new Map(
      (
        await database.db
          .select()
          .from(syncLinks)
          .where(and(eq(syncLinks.tenantId, harness.tenant.id), eq(syncLinks.entity, "invoice")))
      ).map((link) => [link.splynxId, link]),
    );
    for (const payment of payments) {
      const zoho = byReference.get(String(payment.receipt_number))!;
      expect(compare(String(zoho.amount), String(payment.amount))).toBe(0);
      expect(links.get(String(payment.id))).toMatchObject({ state: "synced", zohoId: zoho.payment_id });
      const applied = zoho.invoices as { invoice_id: string; amount_applied: number }[];
      if (payment.invoice_id)
        expect(applied.map((entry) => entry.invoice_id)).toEqual([
          invoiceLinks.get(String(payment.invoice_id))!.zohoId,
        ]);
      else expect(applied).toEqual([]);
    }
    const paidInFull = payments.find(
      (payment) =>
        payment.invoice_id && harness.splynx.store.invoices.get(Number(payment.invoice_id))!.status === "paid",
    )!;
    expect(org.invoices.get(invoiceLinks.get(String(paidInFull.invoice_id))!.zohoId!)!.balance).toBe(0);
    expect(await harness.runEntity("payment")).toMatchObject({ zohoCalls: 0, created: 0 });
  });

  it("never exports a payment of the accounting method, nor anything while export is off, nor their customers", async () => {
    const { harness, org, payments } = await exported();
    const imported = payments[0]!;
    imported.payment_type = 7;
    harness.setSettings({ ...SETTINGS, paymentsExport: { ...SETTINGS.paymentsExport, enabled: false } });
    const off = await harness.runEntity("payment");
    expect(off).toMatchObject({ skipped: payments.length, zohoCalls: 0 });
    expect(org.contacts.size).toBe(0);
    harness.setSettings(SETTINGS);
    await harness.runEntity("payment");
    expect((await paymentLinks(harness.tenant.id)).get(String(imported.id))).toMatchObject({
      state: "skipped",
      message: "Imported from Zoho (the accounting payment method): never exported back.",
    });
    expect(org.payments.size).toBe(payments.length - 1);
  });

  it("with a unique payment field, writes by Zoho's upsert: a lost answer the lookup can't see is never a second payment", async () => {
    const { harness, org, payments } = await exported();
    const unique = { ...SETTINGS, paymentsExport: { ...SETTINGS.paymentsExport, uniqueFieldApiName: "cf_splynx_id" } };
    harness.setSettings(unique);
    const lost = payments[3]!;
    const sentFor = async (request: Request) =>
      request.method === "PUT" && (await request.clone().json()).reference_number === lost.receipt_number;
    // Zoho's search has not caught up with the write yet: the lookup by reference finds nothing.
    harness.refusals.push(async (request) =>
      request.method === "GET" && request.url.includes(`reference_number=${lost.receipt_number}`)
        ? Response.json({ code: 0, message: "success", customerpayments: [], page_context: {} })
        : null,
    );
    harness.refusals.push(async (request) => {
      if (!(await sentFor(request))) return null;
      await harness.zoho.handle(request);
      throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    });
    expect(await harness.runEntity("payment")).toMatchObject({ failed: 1 });
    harness.refusals.pop();
    expect(await harness.runEntity("payment")).toMatchObject({ created: 1, failed: 0 });
    expect(org.payments.size).toBe(payments.length);
    const written = [...org.payments.values()].filter((payment) => payment.reference_number === lost.receipt_number);
    expect(written).toHaveLength(1);
    expect(written[0]!.custom_fields).toEqual([{ api_name: "cf_splynx_id", value: String(lost.id) }]);
  });

  it("finds a payment whose create answer was lost by what was sent, and deletes in Zoho one deleted in Splynx", async () => {
    const { harness, org, payments } = await exported();
    const lost = payments[3]!;
    harness.refusals.push(async (request) => {
      if (request.method !== "POST" || !request.url.includes("/customerpayments?")) return null;
      if ((await request.clone().json()).reference_number !== lost.receipt_number) return null;
      await harness.zoho.handle(request);
      throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    });
    expect(await harness.runEntity("payment")).toMatchObject({ failed: 1 });
    harness.refusals.length = 0;
    expect(await harness.runEntity("payment")).toMatchObject({ created: 1, failed: 0 });
    expect(org.payments.size).toBe(payments.length);

    const [inZoho, gone] = [org.payments.size, String(payments[5]!.id)];
    harness.splynx.store.payments.remove(Number(gone));
    const { createRun, finishRun } = await import("@/db/queries/runs");
    const { finishEntity } = await import("./engine");
    const run = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["payment"],
    });
    await finishEntity(harness.context(run.id), "payment", 0);
    await finishRun(database.db, { tenantId: harness.tenant.id, runId: run.id, status: "succeeded" });
    expect(org.payments.size).toBe(inZoho - 1);
    expect((await paymentLinks(harness.tenant.id)).get(gone)).toMatchObject({
      state: "skipped",
      message: "Gone from Splynx. Deleted in Zoho.",
    });
  });
});

// Payments from Zoho (SPEC §6.4): onto the linked unpaid invoice, once, in the period's statement; never back to Zoho.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createRun, finishRun } from "@/db/queries/runs";
import { syncLinks, type PaymentsImportMode } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { SplynxError } from "@/server/splynx/errors";
import type { ZohoRecord } from "@/server/zoho/books";
import { PageStop, RunStop, syncPage, type SyncContext } from "./engine";
import { statementTitle, todayIn } from "./payments-import";
import { ORGANIZATION, syncHarness } from "./testing/harness";
import { depositToUndepositedFunds } from "./testing/payments";

const database = registerTestDatabase();
// 7 ("Zoho Books") is the accounting method imported payments get.
const SETTINGS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3", "7"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { enabled: true, accountingMethodId: "7" },
};
type Harness = Awaited<ReturnType<typeof syncHarness>>;

async function links(tenantId: string, entity: "payment_import" | "invoice" | "payment") {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, entity)));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

async function setup(settings: object = SETTINGS) {
  const harness = await syncHarness(database.db, { customers: 20, invoices: 60, settings });
  await harness.mapSuggestions();
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  await depositToUndepositedFunds(database.db, harness.tenant.id, org);
  expect(await harness.runEntity("invoice")).toMatchObject({ failed: 0 });
  return { harness, org };
}

/** An import run, page after page; `adjust` may change the context (a Splynx that loses answers). */
async function runImport(harness: Harness, mode: PaymentsImportMode = "new", adjust?: (context: SyncContext) => void) {
  const run = await createRun(database.db, {
    tenantId: harness.tenant.id,
    trigger: "manual",
    requestedBy: null,
    entities: ["payment_import"],
  });
  const context = harness.context(run.id, { paymentsImportMode: mode });
  adjust?.(context);
  const totals = { created: 0, skipped: 0, failed: 0, unchanged: 0, zohoCalls: 0 };
  let stopped: RunStop | undefined;
  try {
    for (let after = 0; ; ) {
      const page = await syncPage(context, "payment_import", { after, pageSize: 200 });
      for (const key of ["created", "skipped", "failed", "unchanged"] as const) totals[key] += page.counts[key];
      totals.zohoCalls += page.zohoCalls;
      if (page.done) break;
      after = page.lastId!;
    }
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    if (error instanceof PageStop)
      for (const key of ["created", "skipped", "failed", "unchanged"] as const)
        totals[key] += error.partial.counts[key];
    stopped = error;
  }
  await finishRun(database.db, {
    tenantId: harness.tenant.id,
    runId: run.id,
    status: stopped?.status ?? "succeeded",
    error: stopped?.message,
  });
  return { ...totals, stopped };
}

/** Linked Splynx invoices that owe money, with their Zoho invoice. */
async function unpaidLinked(harness: Harness) {
  const invoiceLinks = await links(harness.tenant.id, "invoice");
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  return harness.splynx.store.invoices
    .all()
    .filter(
      (invoice) =>
        invoice.status === "not_paid" && Number(invoice.due) > 0 && invoiceLinks.get(String(invoice.id))?.zohoId,
    )
    .map((invoice) => ({ splynx: invoice, zoho: org.invoices.get(invoiceLinks.get(String(invoice.id))!.zohoId!)! }))
    .filter(
      (pair) =>
        Number(pair.zoho.balance) > 0 && ["sent", "overdue", "partially_paid"].includes(String(pair.zoho.status)),
    );
}

/** A payment someone records in Zoho, through the API as the Books screens would. */
async function recordInZoho(harness: Harness, body: ZohoRecord) {
  return harness.context("zoho-user").books.createPayment({ payment_mode: "cash", date: todayIn("UTC"), ...body });
}

/** The statements Ledgerlink made (Splynx has others). */
const ours = (harness: Harness) =>
  harness.splynx.store.bankStatements.all().filter((statement) => String(statement.title).startsWith("Ledgerlink"));

const onInvoice = (pair: { zoho: ZohoRecord }, amount = Math.min(Number(pair.zoho.balance), 10)) => ({
  customer_id: pair.zoho.customer_id,
  amount,
  invoices: [{ invoice_id: pair.zoho.invoice_id, amount_applied: amount }],
});

describe("payments from Zoho", () => {
  it("imports a payment on a linked unpaid invoice once, with the accounting method, the Zoho id and number, in the month's statement", async () => {
    const { harness } = await setup();
    const [pair] = await unpaidLinked(harness);
    const due = String(pair!.splynx.due);
    const zoho = await recordInZoho(harness, onInvoice(pair!, Number(due)));
    const before = harness.splynx.store.payments.size;

    expect(await runImport(harness)).toMatchObject({ created: 1, failed: 0 });
    const imported = harness.splynx.store.payments
      .all()
      .filter((payment) => payment.field_1 === String(zoho.payment_id));
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({
      payment_type: 7,
      invoice_id: pair!.splynx.id,
      customer_id: pair!.splynx.customer_id,
      field_2: String(zoho.payment_number),
      date: zoho.date,
    });
    expect(compare(String(imported[0]!.amount), due)).toBe(0);
    expect(harness.splynx.store.invoices.get(pair!.splynx.id)!.status).toBe("paid");
    const statements = ours(harness);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.title).toBe(`Ledgerlink: payments from Zoho Books ${String(zoho.date).slice(0, 7)}`);
    expect(imported[0]!.payment_statement_id).toBe(statements[0]!.id);
    expect(
      harness.splynx.store.bankStatementRecords.all().filter((record) => record.payment_id === imported[0]!.id),
    ).toHaveLength(1);
    expect((await links(harness.tenant.id, "payment_import")).get(String(zoho.payment_id))).toMatchObject({
      state: "synced",
      zohoId: String(zoho.payment_id),
      details: expect.objectContaining({ splynxPaymentId: String(imported[0]!.id) }),
    });

    // Nothing new: one list call, no write.
    expect(await runImport(harness)).toMatchObject({ created: 0, zohoCalls: 1 });
    expect(await runImport(harness, "all")).toMatchObject({ created: 0 });
    expect(harness.splynx.store.payments.size).toBe(before + 1);
  });

  it("refuses the run without an accounting method, and does nothing while import is off", async () => {
    const { harness } = await setup({ ...SETTINGS, paymentsImport: { enabled: true } });
    const run = await runImport(harness);
    expect(run.stopped?.message).toMatch(/accounting payment method/);
    harness.setSettings({ ...SETTINGS, paymentsImport: { enabled: false, accountingMethodId: "7" } });
    const [pair] = await unpaidLinked(harness);
    await recordInZoho(harness, onInvoice(pair!));
    expect(await runImport(harness)).toMatchObject({ created: 0, zohoCalls: 0 });
  });

  it("skips with the reason what is not one linked unpaid invoice, and creates unlinked payments for linked customers with create payment always", async () => {
    const { harness, org } = await setup();
    const unpaid = await unpaidLinked(harness);
    const byCustomer = new Map<string, typeof unpaid>();
    for (const pair of unpaid)
      byCustomer.set(String(pair.zoho.customer_id), [...(byCustomer.get(String(pair.zoho.customer_id)) ?? []), pair]);
    const two = [...byCustomer.values()].find((pairs) => pairs.length >= 2)!;
    const multi = await recordInZoho(harness, {
      customer_id: two[0]!.zoho.customer_id,
      amount: 2,
      invoices: two.slice(0, 2).map((pair) => ({ invoice_id: pair.zoho.invoice_id, amount_applied: 1 })),
    });
    const none = await recordInZoho(harness, { customer_id: unpaid[0]!.zoho.customer_id, amount: 5, invoices: [] });
    // A Splynx invoice paid by a payment that was not exported: Zoho still shows it open.
    const invoiceLinks = await links(harness.tenant.id, "invoice");
    const paid = harness.splynx.store.invoices
      .all()
      .find(
        (invoice) =>
          invoice.status === "paid" &&
          invoiceLinks.get(String(invoice.id))?.zohoId &&
          Number(org.invoices.get(invoiceLinks.get(String(invoice.id))!.zohoId!)!.balance) > 0,
      )!;
    const paidZoho = org.invoices.get(invoiceLinks.get(String(paid.id))!.zohoId!)!;
    const onPaid = await recordInZoho(harness, onInvoice({ zoho: paidZoho }, 1));
    // A Zoho-only invoice of a linked customer.
    const zohoOnly = await harness.context("zoho-user").books.createInvoice({
      customer_id: unpaid[0]!.zoho.customer_id,
      invoice_number: "ZOHO-ONLY-1",
      line_items: [{ item_id: [...org.items.keys()][0], description: "Zoho-only", rate: 20, quantity: 1 }],
    });
    await harness.context("zoho-user").books.markInvoiceSent(String(zohoOnly.invoice_id));
    const onZohoOnly = await recordInZoho(harness, onInvoice({ zoho: zohoOnly }, 20));
    // A Zoho contact no link holds.
    const stranger = await harness
      .context("zoho-user")
      .books.createContact({ contact_name: "Walk-in customer", contact_type: "customer" });
    const fromStranger = await recordInZoho(harness, { customer_id: stranger.contact_id, amount: 7, invoices: [] });
    const splynxBefore = harness.splynx.store.payments.size;

    expect(await runImport(harness)).toMatchObject({ created: 0, skipped: 5, failed: 0 });
    let importLinks = await links(harness.tenant.id, "payment_import");
    const reason = (payment: ZohoRecord) => importLinks.get(String(payment.payment_id))!.message;
    expect(reason(multi)).toMatch(/^Applied to 2 Zoho invoices/);
    expect(reason(none)).toBe("Applied to no Zoho invoice.");
    expect(reason(onPaid)).toBe(`Splynx invoice ${paid.number} is already paid.`);
    expect(reason(onZohoOnly)).toMatch(/which no Splynx invoice is linked to \(a Zoho-only invoice\)/);
    expect(reason(fromStranger)).toBe("Applied to no Zoho invoice.");
    expect(harness.splynx.store.payments.size).toBe(splynxBefore);
    // Skipped by the same rule: a "New payments" run spends no call reading them again.
    expect(await runImport(harness)).toMatchObject({ skipped: 5, zohoCalls: 1 });

    harness.setSettings({ ...SETTINGS, paymentsImport: { ...SETTINGS.paymentsImport, createPaymentAlways: true } });
    expect(await runImport(harness, "all")).toMatchObject({ created: 4, skipped: 1, failed: 0 });
    importLinks = await links(harness.tenant.id, "payment_import");
    expect(reason(fromStranger)).toMatch(
      /Zoho customer Walk-in customer is not linked to a Splynx customer, and none is guessed\.$/,
    );
    const made = harness.splynx.store.payments.all().slice(splynxBefore);
    expect(made).toHaveLength(4);
    for (const payment of made) expect(payment).toMatchObject({ payment_type: 7, invoice_id: null });
    expect(made.find((payment) => payment.field_1 === String(multi.payment_id))).toMatchObject({
      customer_id: two[0]!.splynx.customer_id,
      amount: "2.00",
    });
    expect(harness.splynx.store.bankStatementRecords.size).toBe(4);
  });

  it("imports once when Splynx wrote the payment but the answer was lost, and never writes the statement line twice", async () => {
    const { harness } = await setup({ ...SETTINGS, general: { statementGrouping: "daily" } });
    const [first, second] = await unpaidLinked(harness);
    const lost = await recordInZoho(harness, onInvoice(first!));
    const crashed = await recordInZoho(harness, onInvoice(second!));
    const run = await runImport(harness, "new", (context) => {
      const create = context.splynx.createPayment.bind(context.splynx);
      context.splynx.createPayment = async (input) => {
        const id = await create(input);
        if (input.field_1 === String(lost.payment_id))
          throw new SplynxError("network", "Could not reach Splynx (ECONNRESET)");
        return id;
      };
      // The other one: the worker stops after its Splynx payment is linked, before its statement line.
      let died = false;
      // A dead worker's claim lapses at once here, so the next run may take the record.
      context.claimMs = 1;
      context.crashPoint = (point) => {
        if (point === "after-link" && !died) {
          died = true;
          throw new RunStop("worker died", "failed");
        }
      };
    });
    expect(run).toMatchObject({ failed: 1, stopped: expect.objectContaining({ message: "worker died" }) });
    // Twice more, to be sure resumed records settle and stay settled.
    const again = await runImport(harness);
    expect(again).toMatchObject({ failed: 0 });
    await runImport(harness, "all");
    for (const zoho of [lost, crashed]) {
      const inSplynx = harness.splynx.store.payments
        .all()
        .filter((payment) => payment.field_1 === String(zoho.payment_id));
      expect(inSplynx).toHaveLength(1);
      expect(
        harness.splynx.store.bankStatementRecords.all().filter((record) => record.payment_id === inSplynx[0]!.id),
      ).toHaveLength(1);
      expect((await links(harness.tenant.id, "payment_import")).get(String(zoho.payment_id))).toMatchObject({
        state: "synced",
        intentKey: null,
      });
    }
    expect(ours(harness).map((statement) => statement.title)).toEqual([
      `Ledgerlink: payments from Zoho Books ${todayIn("UTC")}`,
    ]);
  });

  it.each([
    ["daily", ["2026-11-02", "2026-11-03"]],
    ["monthly", ["2026-11"]],
  ] as const)(
    "groups payments of two days in one statement per period (%s), each payment in it once",
    async (grouping, periods) => {
      const { harness } = await setup({ ...SETTINGS, general: { statementGrouping: grouping } });
      const [first, second, third] = await unpaidLinked(harness);
      const dates = ["2026-11-02", "2026-11-03", "2026-11-03"];
      const paid = [first!, second!, third!];
      for (const [index, pair] of paid.entries())
        await recordInZoho(harness, { ...onInvoice(pair, 1), date: dates[index] });
      expect(await runImport(harness)).toMatchObject({ created: 3, failed: 0 });
      const statements = ours(harness);
      expect(statements.map((statement) => statement.title).sort()).toEqual(
        periods.map((period) => `Ledgerlink: payments from Zoho Books ${period}`),
      );
      const lines = harness.splynx.store.bankStatementRecords.all();
      const imported = harness.splynx.store.payments.all().filter((payment) => payment.payment_type === 7);
      expect(imported).toHaveLength(3);
      for (const payment of imported) {
        const line = lines.filter((record) => record.payment_id === payment.id);
        expect(line).toHaveLength(1);
        const statement = statements.find((candidate) => candidate.id === line[0]!.bank_statements_process_id)!;
        expect(statement.title).toContain(
          grouping === "daily" ? String(payment.date) : String(payment.date).slice(0, 7),
        );
      }
    },
  );

  it("imports a future-dated payment when its date comes, even after the cursor has passed it; New payments keeps working meanwhile", async () => {
    // The tenant is 26 hours behind the payment's calendar: the payment is dated tomorrow there.
    const behind = { ...SETTINGS, general: { timeZone: "Etc/GMT+12" } };
    const { harness, org } = await setup(behind);
    const [early, later] = await unpaidLinked(harness);
    const future = await recordInZoho(harness, { ...onInvoice(early!), date: todayIn("Etc/GMT-14") });
    expect(await runImport(harness)).toMatchObject({ created: 0, skipped: 1 });
    expect((await links(harness.tenant.id, "payment_import")).get(String(future.payment_id))!.message).toBe(
      `Dated ${String(future.date)}, after today: imported when that date comes.`,
    );

    // Zoho recorded it long ago, and a payment recorded since moves the cursor past it.
    org.payments.get(String(future.payment_id))!.last_modified_time = "2020-01-01T00:00:00+0000";
    const today = await recordInZoho(harness, { ...onInvoice(later!), date: todayIn("Etc/GMT+12") });
    expect(await runImport(harness)).toMatchObject({ created: 1 });
    expect(
      harness.splynx.store.payments.all().filter((payment) => payment.field_1 === String(today.payment_id)),
    ).toHaveLength(1);

    // Its date comes.
    harness.setSettings({ ...behind, general: { timeZone: "Etc/GMT-14" } });
    expect(await runImport(harness)).toMatchObject({ created: 1 });
    expect(await runImport(harness)).toMatchObject({ created: 0 });
    expect(
      harness.splynx.store.payments.all().filter((payment) => payment.field_1 === String(future.payment_id)),
    ).toHaveLength(1);
    expect(statementTitle(harness.context("x"), String(future.date))).toMatch(/\d{4}-\d{2}$/);
  });

  it("never sends a payment back where it came from: export, import, export again", async () => {
    const { harness, org } = await setup();
    const splynxPayments = harness.splynx.store.payments.size;
    expect(await harness.runEntity("payment")).toMatchObject({ failed: 0 });
    const exported = org.payments.size;
    expect(exported).toBe(splynxPayments);

    // Everything in Zoho came from Splynx: nothing is imported.
    const first = await runImport(harness, "all");
    expect(first).toMatchObject({ created: 0, skipped: exported, failed: 0 });
    const importLinks = await links(harness.tenant.id, "payment_import");
    expect(
      [...importLinks.values()].every((link) =>
        /^Exported by Ledgerlink from Splynx payment \d+: never imported back\.$/.test(link.message ?? ""),
      ),
    ).toBe(true);

    // Payments recorded in Zoho itself come into Splynx.
    const pairs = (await unpaidLinked(harness)).slice(0, 3);
    for (const pair of pairs) await recordInZoho(harness, onInvoice(pair));
    expect(await runImport(harness)).toMatchObject({ created: pairs.length, failed: 0 });
    expect(harness.splynx.store.payments.size).toBe(splynxPayments + pairs.length);

    // ... and never go back to Zoho, nor come in twice.
    const again = await harness.runEntity("payment");
    expect(again).toMatchObject({ created: 0, failed: 0, skipped: pairs.length });
    expect(org.payments.size).toBe(exported + pairs.length);
    expect(await runImport(harness, "all")).toMatchObject({ created: 0, failed: 0 });
    expect(await runImport(harness)).toMatchObject({ created: 0, failed: 0 });
    expect(harness.splynx.store.payments.size).toBe(splynxPayments + pairs.length);
    expect(org.payments.size).toBe(exported + pairs.length);
  });
});

// The reconciliation report (SPEC §8): a document edited in Zoho and one no link holds are found; Zoho is only read.
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { readOnlyBooks } from "@/server/preview/read-only";
import { exportingHarness, zohoWrites } from "@/server/preview/testing";
import type { syncHarness } from "@/server/sync/testing/harness";
import { reconcile } from "./reconcile";

const database = registerTestDatabase();
async function synced() {
  const exporting = await exportingHarness(database.db, { customers: 8, invoices: 24 });
  for (const entity of ["customer", "invoice", "credit_note", "payment"] as const)
    await exporting.harness.runEntity(entity);
  return exporting;
}

async function reconciled(harness: Awaited<ReturnType<typeof syncHarness>>) {
  const context = harness.context("reconciliation");
  readOnlyBooks(context.books);
  const writes = zohoWrites(harness);
  const report = await reconcile(context, { from: null, to: null }, async () => {});
  expect(zohoWrites(harness)).toBe(writes);
  return { ...report, zohoCalls: context.books.calls };
}

describe("reconciliation", () => {
  it("finds an invoice whose total was edited in Zoho and an invoice no link holds, per period and per customer", async () => {
    const { harness, org } = await synced();
    const before = await reconciled(harness);
    // After a clean sync both sides agree to the cent: every mismatch later is the edit's.
    expect(before.summary.mismatches).toEqual({
      missing_in_zoho: 0,
      missing_in_splynx: 0,
      total_differs: 0,
      status_differs: 0,
      not_linked: 0,
    });
    expect(before.summary.customersDiffering).toBe(0);
    const invoiceLines = before.summary.periods.filter((line) => line.entity === "invoice");
    expect(invoiceLines.length).toBeGreaterThan(0);
    for (const line of invoiceLines) expect(compare(line.splynx, line.zoho), line.period).toBe(0);

    const books = harness.context("edit").books;
    const edited = [...org.invoices.values()].find((invoice) => !["void", "paid"].includes(String(invoice.status)))!;
    const full = await books.getInvoice(String(edited.invoice_id));
    await books.updateInvoice(String(edited.invoice_id), {
      customer_id: full.customer_id,
      line_items: (full.line_items as Record<string, unknown>[]).map((line) => ({
        line_item_id: line.line_item_id,
        ...(line.item_id ? { item_id: line.item_id } : { name: line.name }),
        description: line.description,
        quantity: line.quantity,
        rate: line.rate,
        ...(line.tax_id ? { tax_id: line.tax_id } : {}),
      })),
      adjustment: Number(full.adjustment ?? 0) + 7.5,
      adjustment_description: "Typed in Zoho",
    });
    const customer = [...org.contacts.values()][0]!;
    const byHand = await books.createInvoice({
      customer_id: String(customer.contact_id),
      invoice_number: "BY-HAND-1",
      date: String(edited.date),
      line_items: [{ item_id: String([...org.items.values()][0]!.item_id), rate: 40, quantity: 1 }],
    });

    const after = await reconciled(harness);
    expect(after.zohoCalls).toBeLessThan(12);
    expect(after.summary.mismatches).toEqual({
      missing_in_zoho: 0,
      missing_in_splynx: 0,
      total_differs: 1,
      status_differs: 0,
      not_linked: 1,
    });
    const differs = after.rows.find((row) => row.action === "total_differs")!;
    expect(differs).toMatchObject({ entity: "invoice", zohoId: String(edited.invoice_id) });
    expect(compare(differs.details.zohoTotal!, differs.details.splynxTotal!)).toBe(1);
    expect(after.rows.find((row) => row.action === "not_linked")).toMatchObject({
      entity: "invoice",
      zohoId: String(byHand.invoice_id),
      splynxId: null,
      label: "Invoice BY-HAND-1",
    });
    const period = after.summary.periods.find(
      (line) => line.entity === "invoice" && line.period === String(edited.date).slice(0, 7),
    )!;
    expect(compare(period.zoho, period.splynx)).toBe(1);
    const differing = after.rows.filter((row) => row.action === "customer_differs");
    expect(differing.length).toBeGreaterThanOrEqual(1);
    expect(differing.length).toBe(after.summary.customersDiffering);
  });

  it("lists a Splynx invoice not in Zoho and one voided there, with why", async () => {
    const { harness, org } = await synced();
    const books = harness.context("edit").books;
    const voided = [...org.invoices.values()].find(
      (invoice) => invoice.status !== "void" && invoice.status !== "paid",
    )!;
    await books.voidInvoice(String(voided.invoice_id));
    const fresh = harness.splynx.store.invoices.all().find((invoice) => invoice.status === "not_paid")!;
    const copy = harness.splynx.store.invoices.insert({ ...fresh, id: undefined, number: "NEW-IN-SPLYNX" });

    const { rows } = await reconciled(harness);

    expect(
      rows.find((row) => row.action === "status_differs" && row.zohoId === String(voided.invoice_id)),
    ).toMatchObject({
      entity: "invoice",
      message: expect.stringMatching(/in Splynx, void in Zoho\.$/),
    });
    expect(rows.find((row) => row.action === "missing_in_zoho" && row.splynxId === String(copy.id))).toMatchObject({
      label: "Invoice NEW-IN-SPLYNX",
      message: "Not exported yet.",
    });
  });
});

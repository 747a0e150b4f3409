import { describe, expect, it } from "vitest";
import { booksSession, ORG } from "./testing/books-session";

async function openInvoice() {
  const session = await booksSession({ contacts: [{ name: "Ann Lee", email: "ann@example.net" }] });
  const org = session.zoho.store.organizations.get(ORG)!;
  const [contact] = [...org.contacts.values()];
  const [item] = [...org.items.values()];
  const invoice = (
    await session.call("POST", "/invoices", {
      customer_id: contact!.contact_id,
      line_items: [{ item_id: item!.item_id, rate: 50, quantity: 1 }],
    })
  ).body.invoice;
  await session.call("POST", `/invoices/${invoice.invoice_id}/status/sent`);
  const payment = (fields: Record<string, unknown>) => ({
    customer_id: contact!.contact_id,
    payment_mode: "banktransfer",
    amount: 10,
    date: "2026-11-02",
    invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 10 }],
    ...fields,
  });
  return { ...session, payment };
}

describe("Zoho customer payments: field limits from customer-payments.yml", () => {
  it("takes dates only as yyyy-mm-dd calendar dates", async () => {
    const { call, payment } = await openInvoice();
    for (const date of ["2026/11/02", "02-11-2026", "2026-11-2", "2026-02-30", "2026-11-02T10:00:00+0000"]) {
      expect(await call("POST", "/customerpayments", payment({ date }))).toEqual({
        status: 400,
        body: { code: 2, message: "Invalid value passed for date" },
      });
    }
    expect((await call("POST", "/customerpayments", payment({ date: "2028-02-29" }))).status).toBe(201);
  });

  it("refuses a reference number or payment mode over 100 characters", async () => {
    const { call, payment } = await openInvoice();
    expect((await call("POST", "/customerpayments", payment({ reference_number: "r".repeat(100) }))).status).toBe(201);
    expect((await call("POST", "/customerpayments", payment({ reference_number: "r".repeat(101) }))).body).toEqual({
      code: 2,
      message: "Invalid value passed for reference_number",
    });
    expect((await call("POST", "/customerpayments", payment({ payment_mode: "m".repeat(101) }))).body).toEqual({
      code: 2,
      message: "Invalid value passed for payment_mode",
    });
  });

  it("refuses a search_text filter over 100 characters", async () => {
    const { call } = await openInvoice();
    expect((await call("GET", `/customerpayments?search_text=${"s".repeat(101)}`)).body).toEqual({
      code: 2,
      message: "Invalid value passed for search_text",
    });
  });
});

import { describe, expect, it } from "vitest";
import { booksSession, ORG } from "./testing/books-session";

async function creditedInvoice() {
  const session = await booksSession({ contacts: [{ name: "Ann Lee", email: "ann@example.net" }] });
  const org = session.zoho.store.organizations.get(ORG)!;
  const [contact] = [...org.contacts.values()];
  const [item] = [...org.items.values()];
  const lines = (rate: number) => [{ item_id: item!.item_id, rate, quantity: 1 }];
  const invoice = (
    await session.call("POST", "/invoices", { customer_id: contact!.contact_id, line_items: lines(100) })
  ).body.invoice;
  await session.call("POST", `/invoices/${invoice.invoice_id}/status/sent`);
  const note = (
    await session.call("POST", "/creditnotes?ignore_auto_number_generation=true", {
      customer_id: contact!.contact_id,
      creditnote_number: "CN-1",
      date: "2026-11-02",
      line_items: lines(40),
    })
  ).body.creditnote;
  const edit = (rate: number) =>
    session.call("PUT", `/creditnotes/${note.creditnote_id}`, {
      customer_id: contact!.contact_id,
      creditnote_number: "CN-1",
      date: "2026-11-02",
      line_items: lines(rate),
    });
  return { ...session, invoice, note, edit };
}

describe("Zoho credit notes", () => {
  it("applies credit to an invoice once per call and lists where it went", async () => {
    const { call, invoice, note } = await creditedInvoice();
    expect(
      (
        await call("POST", `/creditnotes/${note.creditnote_id}/invoices`, {
          invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 25 }],
        })
      ).status,
    ).toBe(200);
    expect((await call("GET", `/creditnotes/${note.creditnote_id}`)).body.creditnote).toMatchObject({
      status: "open",
      balance: 15,
    });
    expect((await call("GET", `/invoices/${invoice.invoice_id}`)).body.invoice).toMatchObject({
      credits_applied: 25,
      balance: 75,
      status: "partially_paid",
    });
    expect((await call("GET", `/creditnotes/${note.creditnote_id}/invoices`)).body.invoices_credited).toEqual([
      {
        creditnote_id: note.creditnote_id,
        creditnote_number: "CN-1",
        creditnote_invoice_id: expect.any(String),
        invoice_id: invoice.invoice_id,
        invoice_number: invoice.invoice_number,
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        credited_amount: 25,
      },
    ]);
  });

  it("updates a credit note down to the credit already applied, not below", async () => {
    const { call, invoice, note, edit } = await creditedInvoice();
    await call("POST", `/creditnotes/${note.creditnote_id}/invoices`, {
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 30 }],
    });
    expect((await edit(50)).body.creditnote).toMatchObject({ total: 50, balance: 20, status: "open" });
    expect((await edit(30)).body.creditnote).toMatchObject({ total: 30, balance: 0, status: "closed" });
    expect((await edit(29.99)).body).toEqual({
      code: 4,
      message: "The credit note total cannot be less than the credits already applied.",
    });
  });

  it("voids a credit note, its applied credit going back to the invoice", async () => {
    const { call, invoice, note, edit } = await creditedInvoice();
    await call("POST", `/creditnotes/${note.creditnote_id}/invoices`, {
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 40 }],
    });
    expect((await call("POST", `/creditnotes/${note.creditnote_id}/status/void`)).body).toEqual({
      code: 0,
      message: "The credit note has been marked as void.",
    });
    expect((await call("GET", `/invoices/${invoice.invoice_id}`)).body.invoice).toMatchObject({
      credits_applied: 0,
      balance: 100,
      status: "sent",
    });
    expect((await edit(10)).body.code).toBe(1067);
    expect(
      (
        await call("POST", `/creditnotes/${note.creditnote_id}/invoices`, {
          invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 1 }],
        })
      ).status,
    ).toBe(400);
  });
});

// Every answer the simulator gives for contacts, invoices, credit notes and customer payments matches the operation's
// response schema in Zoho's files, so clients tested against the simulator parse what Zoho documents.
import { describe, expect, it } from "vitest";
import { booksSession, ORG } from "./testing/books-session";

describe("the simulator's answers match Zoho's response schemas", () => {
  it("for each operation of contacts, invoices, credit notes and customer payments it serves", async () => {
    const { zoho, call } = await booksSession();
    const ok = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const answer = await call(method, path, body, { headers });
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
      return answer.body;
    };
    const org = zoho.store.organizations.get(ORG)!;
    const euro = [...org.currencies.values()].find((currency) => currency.currency_code === "EUR")!;
    const group = [...org.taxes.values()].find((tax) => tax.tax_type === "tax_group")!;
    const vat = [...org.taxes.values()].find((tax) => tax.tax_name === "VAT 20%")!;
    const [item] = [...org.items.values()];

    const contact = (
      await ok("POST", "/contacts", {
        contact_name: "Ann Lee",
        custom_fields: [{ api_name: "cf_splynx_id", value: "7" }],
        contact_persons: [{ first_name: "Ann", email: "ann@example.net", is_primary_contact: true }],
      })
    ).contact;
    await ok("GET", "/contacts?contact_name_contains=ann&sort_column=last_modified_time");
    await ok("GET", `/contacts/${contact.contact_id}`);
    await ok("PUT", `/contacts/${contact.contact_id}`, { contact_name: "Ann Lee-Smith" });
    await ok(
      "PUT",
      "/contacts",
      { contact_name: "Bo Ek" },
      { "X-Unique-Identifier-Key": "cf_splynx_id", "X-Unique-Identifier-Value": "8", "X-Upsert": "true" },
    );
    const euroContact = (await ok("POST", "/contacts", { contact_name: "Émile Dubois", currency_id: euro.currency_id }))
      .contact;

    const lines = [
      { item_id: item!.item_id, description: "Internet 100M", rate: 24.9917, quantity: 1, tax_id: vat.tax_id },
      { item_id: item!.item_id, description: "Levy", rate: 3.3333, quantity: 3, tax_id: group.tax_id, discount: "10%" },
    ];
    const invoice = (
      await ok("POST", "/invoices?ignore_auto_number_generation=true", {
        customer_id: contact.contact_id,
        invoice_number: "INV-1",
        date: "2026-11-01",
        line_items: lines,
        adjustment: -0.01,
        adjustment_description: "Rounding",
      })
    ).invoice;
    await ok("POST", "/invoices", {
      customer_id: euroContact.contact_id,
      exchange_rate: 0.8512,
      is_inclusive_tax: true,
      discount: 5,
      is_discount_before_tax: false,
      line_items: lines,
    });
    await ok("GET", "/invoices?invoice_number=INV-1");
    await ok("GET", `/invoices/${invoice.invoice_id}`);
    await ok("PUT", `/invoices/${invoice.invoice_id}?ignore_auto_number_generation=true`, {
      customer_id: contact.contact_id,
      line_items: lines.slice(0, 1),
    });
    await ok("POST", `/invoices/${invoice.invoice_id}/status/sent`);

    const note = (
      await ok("POST", "/creditnotes?ignore_auto_number_generation=true", {
        customer_id: contact.contact_id,
        creditnote_number: "CN-1",
        date: "2026-11-02",
        line_items: lines.slice(0, 1),
      })
    ).creditnote;
    await ok("GET", "/creditnotes?creditnote_number=CN-1");
    await ok("GET", `/creditnotes/${note.creditnote_id}`);
    await ok("PUT", `/creditnotes/${note.creditnote_id}`, {
      customer_id: contact.contact_id,
      creditnote_number: "CN-1",
      date: "2026-11-02",
      line_items: lines,
    });
    await ok("POST", `/creditnotes/${note.creditnote_id}/invoices`, {
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 10 }],
    });
    await ok("GET", `/creditnotes/${note.creditnote_id}/invoices`);

    const payment = (
      await ok("POST", "/customerpayments", {
        customer_id: contact.contact_id,
        payment_mode: "banktransfer",
        amount: 20,
        date: "2026-11-03",
        reference_number: "R-1",
        invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 5 }],
      })
    ).payment;
    await ok("GET", "/customerpayments?sort_column=last_modified_time");
    await ok("GET", `/customerpayments/${payment.payment_id}`);
    await ok("DELETE", `/customerpayments/${payment.payment_id}`);
    await ok("POST", `/creditnotes/${note.creditnote_id}/status/void`);
    await ok("POST", `/invoices/${invoice.invoice_id}/status/void`);
    await ok("DELETE", `/contacts/${euroContact.contact_id}`);
  });

  it("for the organization and the settings the sync reads", async () => {
    const { zoho, call } = await booksSession();
    const org = zoho.store.organizations.get(ORG)!;
    const euro = [...org.currencies.values()].find((currency) => currency.currency_code === "EUR")!;
    const group = [...org.taxes.values()].find((tax) => tax.tax_type === "tax_group")!;
    for (const path of [
      "/organizations",
      `/organizations/${ORG}`,
      "/settings/currencies",
      `/settings/currencies/${euro.currency_id}/exchangerates?from_date=2026-10-15`,
      "/settings/taxes",
      `/settings/taxgroups/${group.tax_id}`,
      "/items",
      "/chartofaccounts",
      "/bankaccounts",
    ]) {
      const answer = await call("GET", path);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    }
  });
});

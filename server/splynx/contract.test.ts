// The simulator answers with the fields and types of Splynx's Blueprint and of a live server; the client reads real rows unchanged.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSplynxSimulator } from "@/server/sandbox/splynx/simulator";
import type { WireRecord } from "@/server/sandbox/splynx/store";
import { RESOURCES } from "./records";
import { blueprintFields } from "./testing/blueprint";
import iwnInvoice from "./testing/iwn-invoice.json";

type Probe = {
  endpoint_analysis: Record<
    string,
    { schema?: { attributes: { name: string; type: string }[] }; sample_data?: unknown }
  >;
};
const probe = JSON.parse(
  readFileSync(path.join(process.cwd(), "specs/splynx/live-probe-2025-09-options-and-samples.json"), "utf8"),
) as Probe;

const kindOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const KIND_BY_TYPE: Record<string, string> = {
  number: "number",
  integer: "number",
  numeric: "number",
  float: "number",
  string: "string",
  date: "string",
  datetime: "string",
  boolean: "boolean",
  file: "null",
};
const kindOfType = (type: string) =>
  type.startsWith("array") ? "array" : type.startsWith("enum") ? "string" : (KIND_BY_TYPE[type] ?? "string");

/** The JSON kind a field must have: a real server's sample first, then the live OPTIONS schema, then the Blueprint. */
function expectedKind(
  field: { name: string; type: string },
  evidence: { sample?: Record<string, unknown>; options?: { name: string; type: string }[] },
) {
  if (evidence.sample && field.name in evidence.sample) return kindOf(evidence.sample[field.name]);
  const live = evidence.options?.find((attribute) => attribute.name === field.name);
  return kindOfType(live?.type ?? field.type);
}

function checkAgainst(
  structure: string,
  records: readonly WireRecord[] | Record<string, unknown>[],
  evidence: { sample?: Record<string, unknown>; options?: { name: string; type: string }[] } = {},
) {
  expect(records.length, structure).toBeGreaterThan(0);
  const fields = blueprintFields(structure);
  for (const record of records) {
    for (const field of fields) {
      expect(Object.keys(record), `${structure} lacks ${field.name}`).toContain(field.name);
      const actual = kindOf((record as Record<string, unknown>)[field.name]);
      const expected = expectedKind(field, evidence);
      const nullable =
        field.nullable || (evidence.sample && (evidence.sample as Record<string, unknown>)[field.name] === null);
      if (!(nullable && actual === "null")) expect(actual, `${structure}.${field.name}`).toBe(expected);
    }
  }
}

const simulator = createSplynxSimulator({ seed: 7, customers: 60, invoices: 300 });
const { store } = simulator;
const live = (resource: string) => probe.endpoint_analysis[resource]!;
const liveSample = (resource: string) => (live(resource).sample_data as Record<string, unknown>[])[0];

describe("simulator against the Blueprint and the live captures", () => {
  it("customers", () =>
    checkAgainst("Customers Response", store.customers.all(), {
      options: live("admin/customers/customer").schema?.attributes,
    }));
  it("invoices and their items", () => {
    const { items: _items, ...iwnHeader } = iwnInvoice;
    checkAgainst("Invoice Response", store.invoices.all(), {
      sample: iwnHeader,
      options: live("admin/finance/invoices").schema?.attributes,
    });
    checkAgainst(
      "Invoice item",
      store.invoices.all().flatMap((invoice) => invoice.items as Record<string, unknown>[]),
      { sample: iwnInvoice.items[0] },
    );
  });
  it("credit notes and their items", () => {
    checkAgainst("Credit note Response", store.creditNotes.all(), { sample: iwnInvoice });
    checkAgainst(
      "Credit note item",
      store.creditNotes.all().flatMap((note) => note.items as Record<string, unknown>[]),
      { sample: iwnInvoice.items[0] },
    );
  });
  it("payments", () =>
    checkAgainst("Payment Response", store.payments.all(), {
      options: live("admin/finance/payments").schema?.attributes,
    }));
  it("payment methods", () =>
    checkAgainst("PaymentMethods Response", store.paymentMethods.all(), {
      sample: liveSample("admin/finance/payment-methods"),
    }));
  it("transaction categories", () =>
    checkAgainst("TransactionCategories Response", store.transactionCategories.all(), {
      sample: liveSample("admin/finance/transaction-categories"),
    }));
  it("taxes", () => checkAgainst("Tax Response", store.taxes.all()));
  it("partners", () =>
    checkAgainst("Partner Response", store.partners.all(), { sample: liveSample("admin/administration/partners") }));
  it("payment statements", () =>
    checkAgainst("Payment Statements Response", store.bankStatements.all(), {
      sample: liveSample("admin/finance/bank-statements"),
    }));
  it("payment statement records", () => {
    store.bankStatementRecords.insert({
      bank_statements_process_id: 1,
      datetime: "2026-11-01 10:00:00",
      payment_date: "2026-11-01",
      amount: "10.0000",
      status: "new",
      pairing_1: "1",
      pairing_2: "",
      pairing_3: "",
      additional_1: "",
      additional_2: "",
      additional_3: "",
      comment: "",
      customer_id: 1,
      invoice_id: null,
      credit_note_id: null,
      request_id: null,
      payment_id: null,
      transaction_id: null,
    });
    checkAgainst("Payment Statements Records Response", store.bankStatementRecords.all());
  });

  it("names every attribute the live server's OPTIONS lists", () => {
    for (const [resource, collection] of [
      ["admin/customers/customer", store.customers],
      ["admin/finance/invoices", store.invoices],
      ["admin/finance/payments", store.payments],
      ["admin/finance/payment-methods", store.paymentMethods],
      ["admin/finance/transaction-categories", store.transactionCategories],
      ["admin/administration/partners", store.partners],
    ] as const) {
      const names = live(resource).schema!.attributes.map((attribute) => attribute.name);
      for (const name of names) expect(Object.keys(collection.all()[0]!), `${resource} lacks ${name}`).toContain(name);
    }
  });
});

describe("the client reads real servers' rows unchanged", () => {
  it("parses the live captures' sample rows", () => {
    for (const [resource, name] of [
      ["admin/finance/payment-methods", "paymentMethods"],
      ["admin/finance/transaction-categories", "transactionCategories"],
      ["admin/administration/partners", "partners"],
      ["admin/finance/bank-statements", "paymentStatements"],
    ] as const) {
      for (const row of live(resource).sample_data as unknown[])
        expect(RESOURCES[name].schema.safeParse(row).error, resource).toBeUndefined();
    }
  });

  it("parses a real 2025 invoice with 4-decimal strings and empty dates", () => {
    const invoice = RESOURCES.invoices.schema.parse(iwnInvoice);
    expect(invoice).toMatchObject({
      id: 137737,
      total: "69354.84",
      date_payment: null,
      items: [{ price: "64516.1290", tax: "7.5000", tax_amount: "4838.7097", period_from: null }],
    });
  });

  it("parses a 2022 payment whose ids are strings", () => {
    const payment = RESOURCES.payments.schema.parse({
      id: "1822",
      customer_id: "7332",
      invoice_id: null,
      request_id: "226",
      transaction_id: "6978",
      payment_type: "1",
      receipt_number: "2022-01-00215",
      date: "2022-04-20",
      amount: 100,
      remind_amount: "100.0000",
    });
    expect(payment).toMatchObject({
      id: 1822,
      customer_id: 7332,
      invoice_id: null,
      payment_type: 1,
      amount: "100",
      remind_amount: "100.0000",
    });
  });

  it("parses every record the simulator serves", () => {
    for (const name of [
      "customers",
      "invoices",
      "creditNotes",
      "payments",
      "paymentMethods",
      "transactionCategories",
      "taxes",
      "partners",
      "paymentStatements",
    ] as const) {
      const collection = {
        customers: store.customers,
        invoices: store.invoices,
        creditNotes: store.creditNotes,
        payments: store.payments,
        paymentMethods: store.paymentMethods,
        transactionCategories: store.transactionCategories,
        taxes: store.taxes,
        partners: store.partners,
        paymentStatements: store.bankStatements,
      }[name];
      for (const row of collection.all())
        expect(
          RESOURCES[name].schema.safeParse(JSON.parse(JSON.stringify(row))).error,
          `${name} ${row.id}`,
        ).toBeUndefined();
    }
  });
});

describe("simulator over the wire", () => {
  const signed = (url: string, init: RequestInit = {}) =>
    new Request(`http://sim.local/api/2.0/${url}`, {
      ...init,
      headers: { authorization: `Basic ${Buffer.from("ops:ops-secret").toString("base64")}` },
    });
  const wire = createSplynxSimulator({
    seed: 3,
    customers: 10,
    invoices: 30,
    apiKeys: [{ key: "ops", secret: "ops-secret", title: "Ops", checkNonce: false, unsecureAccess: true }],
  });

  it("answers OPTIONS with the live server's schema", async () => {
    const response = await wire.handle(signed("admin/finance/payments", { method: "OPTIONS" }));
    expect(await response.json()).toEqual(live("admin/finance/payments").schema);
  });

  it("answers with Splynx's status codes and bodies", async () => {
    const created = await wire.handle(
      new Request("http://sim.local/api/2.0/admin/finance/bank-statements", {
        method: "POST",
        body: JSON.stringify({ title: "x" }),
        headers: signed("x").headers,
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const updated = await wire.handle(
      new Request(`http://sim.local/api/2.0/admin/finance/bank-statements/${id}`, {
        method: "PUT",
        body: JSON.stringify({ title: "y" }),
        headers: signed("x").headers,
      }),
    );
    expect([updated.status, await updated.text()]).toEqual([202, ""]);
    expect((await wire.handle(signed(`admin/finance/bank-statements/${id}`, { method: "DELETE" }))).status).toBe(204);
    const missing = await wire.handle(signed(`admin/finance/bank-statements/${id}`));
    expect([missing.status, await missing.json()]).toEqual([
      404,
      { error: { message: "Entity not found", code: 404, internal_code: "NOT_FOUND" } },
    ]);
    const disabled = await wire.handle(signed("admin/config/taxes", { method: "POST" }));
    expect([disabled.status, await disabled.json()]).toEqual([
      405,
      { error: { message: "Method is disabled!", code: 405, internal_code: "METHOD_DISABLED" } },
    ]);
    const anonymous = await wire.handle(new Request("http://sim.local/api/2.0/admin/customers/customer"));
    expect((await anonymous.json()) as unknown).toEqual({
      error: { message: "Authorization header is missed", code: 401, internal_code: "MISSED_AUTHORIZATION_HEADER" },
    });
    const list = await wire.handle(signed("admin/customers/customer?limit=3"));
    expect(Array.isArray(await list.json())).toBe(true);
  });
});

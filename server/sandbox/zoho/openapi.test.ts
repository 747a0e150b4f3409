import { describe, expect, it } from "vitest";
import { isZohoDate, isZohoEmail, OpenApiContract } from "./openapi";

const contract = new OpenApiContract();

describe("Zoho's OpenAPI contract", () => {
  it("finds operations by method and path, literal paths first", () => {
    expect(contract.operation("POST", "/invoices")?.operationId).toBe("create_invoice");
    expect(contract.operation("POST", "/invoices/2646610000000114330/status/sent")?.template).toBe(
      "/invoices/{invoice_id}/status/sent",
    );
    expect(contract.operation("GET", "/nowhere")).toBeUndefined();
  });

  it("refuses bodies Zoho would refuse: numeric ids, missing required fields, wrong types", () => {
    const create = contract.operation("POST", "/invoices")!;
    expect(
      contract.check(create, {
        customer_id: "2646610000000114330",
        line_items: [{ item_id: "2646610000000114001", rate: 24.99, quantity: 1 }],
      }),
    ).toEqual([]);
    expect(contract.check(create, { customer_id: 2646610000000114, line_items: [] })).toEqual([
      { path: "/customer_id", message: "must be string" },
    ]);
    expect(contract.check(create, { line_items: [{ rate: "24.99" }] })).toEqual(
      expect.arrayContaining([
        { path: "(body)", message: "must have required property 'customer_id' (customer_id)" },
        { path: "/line_items/0/rate", message: "must be number" },
      ]),
    );
  });

  it("mends the documented defect of payments' misplaced required fields", () => {
    const payment = contract.operation("POST", "/customerpayments")!;
    expect(
      contract.check(payment, {
        customer_id: "1",
        payment_mode: "banktransfer",
        amount: 10,
        date: "2026-11-01",
        invoices: [{ invoice_id: "2", amount_applied: 10 }],
      }),
    ).toEqual([]);
  });

  it("enforces the limits the descriptions state: Max-length [N], e-mail fields, yyyy-mm-dd dates", () => {
    const create = contract.operation("POST", "/contacts")!;
    const problems = contract.check(create, {
      contact_name: "x".repeat(201),
      billing_address: { zip: "z".repeat(51) },
      contact_persons: [{ first_name: "Ann", email: "ann@example.net;bob@example.net" }],
    });
    expect(problems).toEqual([
      {
        path: "/contact_name",
        message: "must NOT have more than 200 characters",
        rule: "max-length",
        field: "contact_name",
      },
      {
        path: "/billing_address/zip",
        message: "must NOT have more than 50 characters",
        rule: "max-length",
        field: "zip",
      },
      { path: "/contact_persons/0/email", message: 'must match format "zoho-email"', rule: "email", field: "email" },
    ]);
    const payment = contract.operation("POST", "/customerpayments")!;
    expect(
      contract.check(payment, { customer_id: "1", payment_mode: "cash", amount: 1, date: "2026-13-01", invoices: [] }),
    ).toEqual([{ path: "/date", message: 'must match format "zoho-date"', rule: "date", field: "date" }]);
  });

  it("reads query parameter limits, with the variants each description names", () => {
    const list = contract.operation("GET", "/contacts")!;
    expect(list.queryLimits).toMatchObject({
      contact_name: 100,
      contact_name_startswith: 100,
      contact_name_contains: 100,
      email: 100,
      email_startswith: 100,
      email_contains: 100,
      search_text: 100,
    });
    expect(contract.checkQuery(list, new URLSearchParams({ contact_name: "n".repeat(100) }))).toEqual([]);
    expect(contract.checkQuery(list, new URLSearchParams({ contact_name_contains: "é".repeat(101) }))).toEqual([
      {
        path: "contact_name_contains",
        message: "must NOT have more than 100 characters",
        rule: "max-length",
        field: "contact_name_contains",
      },
    ]);
  });

  it("takes calendar dates and single addresses; an empty value is no value", () => {
    expect(["2026-11-02", "2028-02-29", ""].map(isZohoDate)).toEqual([true, true, true]);
    expect(["2026-02-29", "2026-11-2", "02/11/2026", "2026-11-02T10:00:00+0000"].map(isZohoDate)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(["ann@example.net", "ann.o'brien+isp@mail.example.co.uk", ""].map(isZohoEmail)).toEqual([true, true, true]);
    expect(
      [
        "ann@example.net,bob@example.net",
        "ann @example.net",
        "ann@example",
        "Ann <ann@example.net>",
        "ann@@example.net",
      ].map(isZohoEmail),
    ).toEqual([false, false, false, false, false]);
  });

  it("checks answers against the operation's response schema, with the files' known defects mended", () => {
    const get = contract.operation("GET", "/invoices/2646610000000114330")!;
    expect(
      contract.checkResponse(get, 200, {
        code: 0,
        message: "success",
        invoice: { invoice_id: "1", total: 12.5, balance: 12.5, taxes: [{ tax_name: "VAT 20%", tax_amount: 2.08 }] },
      }),
    ).toEqual([]);
    expect(contract.checkResponse(get, 200, { code: 0, invoice: { invoice_id: 1, date: "01/11/2026" } })).toEqual([
      { path: "/invoice/invoice_id", message: "must be string" },
      { path: "/invoice/date", message: 'must match format "zoho-date"' },
    ]);
    // Error answers have no schema in the files; a status the operation does not document is a problem of its own.
    expect(contract.checkResponse(get, 404, { code: 1002, message: "Invoice does not exist." })).toEqual([]);
    expect(contract.checkResponse(contract.operation("PUT", "/contacts")!, 201, { code: 0 })).toEqual([
      { path: "(status)", message: "update_contact_using_custom_field documents no 201 answer (documented: 200)" },
    ]);
    // A percentage discount is written "10.00%"; the payments list key is customerpayments and its rows are checked.
    expect(
      contract.checkResponse(get, 200, { invoice: { discount: "10.00%", line_items: [{ discount: 2.5 }] } }),
    ).toEqual([]);
    expect(contract.checkResponse(get, 200, { invoice: { discount: "ten" } })).not.toEqual([]);
    const payments = contract.operation("GET", "/customerpayments")!;
    expect(
      contract.checkResponse(payments, 200, { customerpayments: [{ payment_id: 5 }], page_context: { page: 1 } }),
    ).toEqual([{ path: "/customerpayments/0/payment_id", message: "must be string" }]);
    const notes = contract.operation("GET", "/creditnotes")!;
    expect(
      contract.checkResponse(notes, 200, {
        creditnotes: [{ creditnote_id: "1", total: 10 }],
        page_context: { page: 1, has_more_page: false },
      }),
    ).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { isZohoDate, isZohoEmail, OpenApiContract } from "./openapi";

const contract = new OpenApiContract();

describe("Zoho's OpenAPI contract", () => {
  it("finds operations by method and path, literal paths first", () => {
    expect(contract.operation("POST", "/invoices")?.operationId).toBe("create_invoice");
    expect(contract.operation("POST", "/invoices/2646610000000114330/status/sent")?.template).toBe("/invoices/{invoice_id}/status/sent");
    expect(contract.operation("GET", "/nowhere")).toBeUndefined();
  });

  it("refuses bodies Zoho would refuse: numeric ids, missing required fields, wrong types", () => {
    const create = contract.operation("POST", "/invoices")!;
    expect(contract.check(create, { customer_id: "2646610000000114330", line_items: [{ item_id: "2646610000000114001", rate: 24.99, quantity: 1 }] })).toEqual([]);
    expect(contract.check(create, { customer_id: 2646610000000114330, line_items: [] })).toEqual([{ path: "/customer_id", message: "must be string" }]);
    expect(contract.check(create, { line_items: [{ rate: "24.99" }] })).toEqual(expect.arrayContaining([{ path: "(body)", message: "must have required property 'customer_id' (customer_id)" }, { path: "/line_items/0/rate", message: "must be number" }]));
  });

  it("mends the documented defect of payments' misplaced required fields", () => {
    const payment = contract.operation("POST", "/customerpayments")!;
    expect(contract.check(payment, { customer_id: "1", payment_mode: "banktransfer", amount: 10, date: "2026-11-01", invoices: [{ invoice_id: "2", amount_applied: 10 }] })).toEqual([]);
  });

  it("enforces the limits the descriptions state: Max-length [N], e-mail fields, yyyy-mm-dd dates", () => {
    const create = contract.operation("POST", "/contacts")!;
    const problems = contract.check(create, { contact_name: "x".repeat(201), billing_address: { zip: "z".repeat(51) }, contact_persons: [{ first_name: "Ann", email: "ann@example.net;bob@example.net" }] });
    expect(problems).toEqual([
      { path: "/contact_name", message: "must NOT have more than 200 characters", rule: "max-length", field: "contact_name" },
      { path: "/billing_address/zip", message: "must NOT have more than 50 characters", rule: "max-length", field: "zip" },
      { path: "/contact_persons/0/email", message: 'must match format "zoho-email"', rule: "email", field: "email" },
    ]);
    const payment = contract.operation("POST", "/customerpayments")!;
    expect(contract.check(payment, { customer_id: "1", payment_mode: "cash", amount: 1, date: "2026-13-01", invoices: [] })).toEqual([{ path: "/date", message: 'must match format "zoho-date"', rule: "date", field: "date" }]);
  });

  it("reads query parameter limits, with the variants each description names", () => {
    const list = contract.operation("GET", "/contacts")!;
    expect(list.queryLimits).toMatchObject({ contact_name: 100, contact_name_startswith: 100, contact_name_contains: 100, email: 100, email_startswith: 100, email_contains: 100, search_text: 100 });
    expect(contract.checkQuery(list, new URLSearchParams({ contact_name: "n".repeat(100) }))).toEqual([]);
    expect(contract.checkQuery(list, new URLSearchParams({ contact_name_contains: "é".repeat(101) }))).toEqual([{ path: "contact_name_contains", message: "must NOT have more than 100 characters", rule: "max-length", field: "contact_name_contains" }]);
  });

  it("takes calendar dates and single addresses; an empty value is no value", () => {
    expect(["2026-11-02", "2028-02-29", ""].map(isZohoDate)).toEqual([true, true, true]);
    expect(["2026-02-29", "2026-11-2", "02/11/2026", "2026-11-02T10:00:00+0000"].map(isZohoDate)).toEqual([false, false, false, false]);
    expect(["ann@example.net", "ann.o'brien+isp@mail.example.co.uk", ""].map(isZohoEmail)).toEqual([true, true, true]);
    expect(["ann@example.net,bob@example.net", "ann @example.net", "ann@example", "Ann <ann@example.net>", "ann@@example.net"].map(isZohoEmail)).toEqual([false, false, false, false, false]);
  });
});

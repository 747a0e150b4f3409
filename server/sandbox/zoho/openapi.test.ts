import { describe, expect, it } from "vitest";
import { OpenApiContract } from "./openapi";

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
});

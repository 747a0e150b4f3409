import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigIntegers } from "./json";

describe("parseJsonKeepingBigIntegers", () => {
  it("keeps 17–19 digit ids exact and leaves everything else alone", () => {
    const text = '{"invoice_id": 2646610000000114330, "total": 12.5, "qty": 3, "big_float": 1.5e20, "note": "ref:1234567890123456789, \\"quoted\\"", "ids": [-1053791000000186001, 42]}';
    expect(parseJsonKeepingBigIntegers(text)).toEqual({ invoice_id: "2646610000000114330", total: 12.5, qty: 3, big_float: 1.5e20, note: 'ref:1234567890123456789, "quoted"', ids: ["-1053791000000186001", 42] });
    expect(JSON.parse(text).invoice_id).not.toBe(2646610000000114330n.toString());
  });
});

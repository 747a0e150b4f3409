// Zoho's JSON read with long integers kept as text, everything else as JSON.parse reads it.
import { describe, expect, it } from "vitest";
import { parseJsonKeepingBigIntegers } from "./json";

describe("parseJsonKeepingBigIntegers", () => {
  it("keeps 16 to 19 digit ids exact, negative ones too, and leaves everything else alone", () => {
    const text =
      '{"invoice_id": 2646610000000114330, "total": 12.5, "qty": 3, "big_float": 1.5e20, "note": "ref:1234567890123456789, \\"quoted\\"", "ids": [-1053791000000186001, 42]}';
    expect(parseJsonKeepingBigIntegers(text)).toEqual({
      invoice_id: "2646610000000114330",
      total: 12.5,
      qty: 3,
      big_float: 1.5e20,
      note: 'ref:1234567890123456789, "quoted"',
      ids: ["-1053791000000186001", 42],
    });
    // What it guards against: JSON.parse rounds such an id to another one.
    expect(String(JSON.parse(text).invoice_id)).toBe("2646610000000114000");
  });

  it("quotes from 16 digits on, not the minus sign's digit count, and never a decimal or exponent", () => {
    expect(
      parseJsonKeepingBigIntegers("[123456789012345, 1234567890123456, -123456789012345, -1234567890123456]"),
    ).toEqual([123456789012345, "1234567890123456", -123456789012345, "-1234567890123456"]);
    expect(
      parseJsonKeepingBigIntegers(
        "[1234567890123456.5, 1234567890123456e2, 1234567890123456E-2, 1234567890123456e+2, 0, -0.5]",
      ),
    ).toEqual([1234567890123456.5, 1234567890123456e2, 1234567890123456e-2, 1234567890123456e2, 0, -0.5]);
  });

  it("reads digits inside strings as text, through escaped quotes and backslashes", () => {
    expect(
      parseJsonKeepingBigIntegers(
        '{"a": "x\\\\", "b": 2646610000000114330, "c": "\\"2646610000000114331\\"", "d": "\\\\\\"", "e": 9007199254740993}',
      ),
    ).toEqual({ a: "x\\", b: "2646610000000114330", c: '"2646610000000114331"', d: '\\"', e: "9007199254740993" });
    expect(parseJsonKeepingBigIntegers('"2646610000000114330"')).toBe("2646610000000114330");
    expect(parseJsonKeepingBigIntegers("2646610000000114330")).toBe("2646610000000114330");
  });

  it("leaves keys, literals and whitespace as they are", () => {
    expect(parseJsonKeepingBigIntegers(' {\n\t"1234567890123456" : [true, false, null, 7]\n} ')).toEqual({
      "1234567890123456": [true, false, null, 7],
    });
  });

  it("refuses what is not JSON, as JSON.parse does", () => {
    expect(() => parseJsonKeepingBigIntegers('{"a": }')).toThrow(SyntaxError);
    expect(() => parseJsonKeepingBigIntegers('{"a": 1')).toThrow(SyntaxError);
  });
});

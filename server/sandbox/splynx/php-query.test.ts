import { describe, expect, it } from "vitest";
import { encodeListQuery } from "@/server/splynx/query";
import { parsePhpQuery, satisfies } from "./php-query";

describe("PHP bracket queries", () => {
  it("parse back what the client encodes, lists included", () => {
    const encoded = encodeListQuery({
      main_attributes: {
        login: ["LIKE", "durden"],
        partner_id: ["BETWEEN", 1, 10],
        tariff_id: ["IN", [2, 1]],
        date_add: "2024-01-31",
      },
      additional_attributes: { sex: ["IN", ["male", "female"]] },
      order: { id: "DESC" },
      limit: 10,
      offset: 20,
    });
    expect(parsePhpQuery(new URLSearchParams(encoded))).toEqual({
      main_attributes: {
        login: ["LIKE", "durden"],
        partner_id: ["BETWEEN", "1", "10"],
        tariff_id: ["IN", ["2", "1"]],
        date_add: "2024-01-31",
      },
      additional_attributes: { sex: ["IN", ["male", "female"]] },
      order: { id: "DESC" },
      limit: "10",
      offset: "20",
    });
    expect(
      parsePhpQuery(
        new URLSearchParams("main_attributes%5Bstatus%5D%5B0%5D=IN&main_attributes%5Bstatus%5D%5B1%5D%5B%5D=paid"),
      ),
    ).toEqual({ main_attributes: { status: ["IN", ["paid"]] } });
  });

  it("apply every documented operator", () => {
    expect(satisfies(5, "5")).toBe(true);
    expect(satisfies("10", ["=", "10"])).toBe(true);
    expect(satisfies(3, ["!=", "4"]) && satisfies(3, ["<>", "4"])).toBe(true);
    expect(
      satisfies(10, [">", "9"]) &&
        satisfies(10, [">=", "10"]) &&
        satisfies(9, ["<", "10"]) &&
        satisfies(10, ["<=", "10"]),
    ).toBe(true);
    expect(satisfies("2026-05-01", [">=", "2026-04-30"])).toBe(true);
    expect(satisfies(null, ["IS", "NULL"]) && satisfies(4, ["IS", "NOT NULL"])).toBe(true);
    expect(satisfies("Tyler Durden", ["REGEXP", "^tyler"])).toBe(true);
    expect(satisfies(7, ["BETWEEN", "1", "10"]) && !satisfies(11, ["BETWEEN", "1", "10"])).toBe(true);
    expect(satisfies("tyler.durden", ["LIKE", "DURDEN"])).toBe(true);
    expect(satisfies(2, ["IN", ["1", "2"]]) && !satisfies(3, ["IN", ["1", "2"]])).toBe(true);
    expect(satisfies("1,5,9", ["FIND_IN_SET", "5"]) && !satisfies("1,50", ["FIND_IN_SET", "5"])).toBe(true);
    expect(() => satisfies(1, ["NEAR", "2"])).toThrow('Unknown operator "NEAR"');
  });
});

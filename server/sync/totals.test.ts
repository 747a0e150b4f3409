import { describe, expect, it } from "vitest";
import { arithmeticOf, closeTheGap, zohoTotalFor, type DocumentLine, type TaxSpec } from "./totals";

const VAT: TaxSpec = { taxId: "vat", percentage: "20" };
const REDUCED: TaxSpec = { taxId: "reduced", percentage: "5" };
const VAT75: TaxSpec = { taxId: "vat75", percentage: "7.5" };
const GROUP: TaxSpec = { taxId: "group", percentage: "25", components: ["20", "5"], componentIds: ["vat", "reduced"] };
const line = (rate: string, tax: TaxSpec | null, quantity = "1"): DocumentLine => ({
  itemId: "item",
  description: "Internet",
  quantity,
  rate,
  tax,
});
const ITEM = { taxRounding: "item" } as const;
const ENTITY = { taxRounding: "entity" } as const;

describe("zohoTotalFor", () => {
  it("rounds the rate to 2 decimals before tax, as Zoho does (54.54545 at 20 % is 54.55 + 10.91)", () => {
    expect(zohoTotalFor([line("54.54545", VAT)], ITEM)).toBe("65.46");
    expect(zohoTotalFor([line("-5.555", null)], ITEM)).toBe("-5.56");
    expect(zohoTotalFor([line("24.9917", VAT, "3")], ITEM)).toBe("89.96");
  });

  it("rounds tax per line at item level and once per tax at entity level", () => {
    const lines = [line("1.10", VAT75), line("1.10", VAT75), line("1.10", VAT75)];
    expect(zohoTotalFor(lines, ITEM)).toBe("3.54");
    expect(zohoTotalFor(lines, ENTITY)).toBe("3.55");
  });

  it("computes a tax group member by member, adding members to the same tax on other lines at entity level", () => {
    expect(zohoTotalFor([line("0.13", GROUP)], ITEM)).toBe("0.17");
    expect(zohoTotalFor([line("0.13", { taxId: "group", percentage: "25" })], ITEM)).toBe("0.16");
    expect(zohoTotalFor([line("0.13", GROUP), line("0.13", VAT)], ENTITY)).toBe("0.32");
    // Without the members' ids the taxes are summed by percentage, which here comes to the same.
    const anonymous = { ...GROUP, componentIds: undefined };
    expect(zohoTotalFor([line("0.13", anonymous), line("0.13", VAT)], ENTITY)).toBe("0.32");
    expect([
      zohoTotalFor([line("0.13", GROUP), line("0.13", REDUCED)], ITEM),
      zohoTotalFor([line("0.13", GROUP), line("0.13", REDUCED)], ENTITY),
    ]).toEqual(["0.31", "0.30"]);
  });

  it("adds the adjustment after tax, and uses the currency's precision", () => {
    expect(zohoTotalFor([line("24.9917", VAT)], ITEM, "-0.01")).toBe("29.98");
    expect(zohoTotalFor([line("1234.5", VAT)], { taxRounding: "item", pricePrecision: 0 })).toBe("1482");
  });
});

describe("closeTheGap", () => {
  const lines = [line("24.9917", VAT, "3")];

  it("adds a line on the rounding item, without tax, when Zoho's total would differ", () => {
    // Splynx: 74.9751 + 14.99502 = 89.97012 → 89.97; Zoho: 74.97 + 14.99 = 89.96.
    const closed = closeTheGap(lines, "89.97", ITEM, "rounding");
    expect(closed).toEqual({
      lines: [...lines, { itemId: "rounding", description: "Rounding", quantity: "1", rate: "0.01", tax: null }],
      adjustment: null,
      gap: "0.01",
    });
    expect(zohoTotalFor(closed.lines, ITEM)).toBe("89.97");
  });

  it("uses the adjustment when no rounding item is set", () => {
    const closed = closeTheGap(lines, "89.95", ENTITY, null);
    expect(closed).toEqual({ lines, adjustment: "-0.01", gap: "-0.01" });
    expect(zohoTotalFor(closed.lines, ENTITY, closed.adjustment!)).toBe("89.95");
  });

  it("adds nothing when the totals already agree", () => {
    expect(closeTheGap(lines, "89.96", ITEM, "rounding")).toEqual({ lines, adjustment: null, gap: "0.00" });
    expect(closeTheGap(lines, "89.9600", ITEM, null)).toEqual({ lines, adjustment: null, gap: "0.00" });
  });
});

describe("arithmeticOf", () => {
  it("knows nothing from an organization's documented fields", () => {
    expect(
      arithmeticOf({ organization_id: "1", currency_code: "GBP", price_precision: 2, tax_group_enabled: true }),
    ).toBeNull();
  });

  it("reads tax_rounding and price_precision from an answer that carries them, as Zoho's invoice answers do", () => {
    expect(arithmeticOf({ invoice_id: "1", tax_rounding: "entity_level", price_precision: 2 })).toEqual({
      taxRounding: "entity",
      pricePrecision: 2,
    });
    expect(arithmeticOf({ tax_rounding: "item_level" })).toEqual({ taxRounding: "item" });
    expect(arithmeticOf({ tax_rounding: "" })).toBeNull();
  });
});

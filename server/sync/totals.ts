// What Zoho will compute for a document, and the line (or adjustment) that makes it equal the Splynx total to the cent.
// Sources for each rule are in one-line comments; the simulator computes the same independently (sandbox/zoho/totals).
import { add, compare, fromUnits, multiply, percentOf, round, toUnits } from "@/server/money";

/**
 * A Zoho tax on a line. For a tax group, `components` are its taxes' percentages (GET /settings/taxgroups/{id}) and
 * `componentIds` their tax ids; without the ids, entity-level rounding groups taxes by percentage.
 */
export type TaxSpec = { taxId: string; percentage: string; components?: string[]; componentIds?: string[] };
export type DocumentLine = {
  itemId: string | null;
  description: string;
  quantity: string;
  rate: string;
  tax: TaxSpec | null;
};
/**
 * How the organization's Zoho computes a document. `taxRounding` is what Zoho's answers call `tax_rounding`
 * (`item_level` | `entity_level`); `pricePrecision` the currency's decimals (2 unless said).
 */
export type ZohoArithmetic = { taxRounding: "item" | "entity"; pricePrecision?: number };

// Tax percentages with up to 6 decimals times 2-decimal amounts are exact at this scale (money.percentOf keeps 8).
const EXACT = 10;

type Share = { key: string; percentage: string };

/** The taxes each line carries, keyed as Zoho sums them: by tax id, or by percentage when an id is missing. */
function sharesOf(lines: DocumentLine[]): Share[][] {
  const withIds = lines.map((line) => {
    if (!line.tax) return [];
    const percentages = line.tax.components ?? [line.tax.percentage];
    const ids = line.tax.components ? line.tax.componentIds : [line.tax.taxId];
    return percentages.map((percentage, index) => ({ id: ids?.[index], percentage }));
  });
  const everyIdKnown = withIds.every((shares) => shares.every((share) => share.id));
  return withIds.map((shares) =>
    shares.map((share) => ({
      key: everyIdKnown ? `id:${share.id!}` : `%:${round(share.percentage, 6)}`,
      percentage: share.percentage,
    })),
  );
}

/** The total Zoho computes for these lines and adjustment under the organization's arithmetic. */
export function zohoTotalFor(lines: DocumentLine[], arithmetic: ZohoArithmetic, adjustment?: string): string {
  const places = arithmetic.pricePrecision ?? 2;
  // Zoho rounds the line rate to the price precision before anything else (help.zoho.com community, "tax-calculation-
  // based-on-actual-price-not-the-rounded-price": 54.54545 → 54.55); the line amount is kept at that precision.
  const amounts = lines.map((line) => multiply(round(line.rate, places), line.quantity, places));
  const shares = sharesOf(lines);
  const taxes: string[] = [];
  if (arithmetic.taxRounding === "item") {
    // item_level: each line's tax, each member of a group apart, rounded on the line.
    for (const [index, amount] of amounts.entries())
      for (const share of shares[index]!) taxes.push(round(percentOf(amount, share.percentage, EXACT), places));
  } else {
    // entity_level: each tax once on the lines that carry it (Zoho KB items/tax-calculated: "calculated on the final
    // invoice amount … split up with respect to the different tax groups"); members summed per tax is UNVERIFIED.
    const exact = new Map<string, string[]>();
    for (const [index, amount] of amounts.entries())
      for (const share of shares[index]!)
        exact.set(share.key, [...(exact.get(share.key) ?? []), percentOf(amount, share.percentage, EXACT)]);
    for (const values of exact.values()) taxes.push(round(add(values, EXACT), places));
  }
  // The adjustment comes after tax (invoices.yml `adjustment`: "applied after tax calculation").
  return add([...amounts, ...taxes, round(adjustment ?? "0", places)], places);
}

/**
 * Makes Zoho's total equal `target`: a line on the rounding item (no tax, so it changes no tax) when one is set, else
 * the adjustment. `gap` is what was added (zero when the lines already make the target).
 */
export function closeTheGap(
  lines: DocumentLine[],
  target: string,
  arithmetic: ZohoArithmetic,
  roundingItemId: string | null,
): { lines: DocumentLine[]; adjustment: string | null; gap: string } {
  const places = arithmetic.pricePrecision ?? 2;
  const gap = fromUnits(
    toUnits(round(target, places), places) - toUnits(zohoTotalFor(lines, arithmetic), places),
    places,
  );
  if (compare(gap, "0") === 0) return { lines, adjustment: null, gap };
  if (roundingItemId)
    return {
      lines: [...lines, { itemId: roundingItemId, description: "Rounding", quantity: "1", rate: gap, tax: null }],
      adjustment: null,
      gap,
    };
  return { lines, adjustment: gap, gap };
}

/**
 * What an answer tells about the organization's arithmetic; null when it cannot be known from the API.
 * organizations.yml documents no tax-rounding field for an organization (only `price_precision`), so an organization's
 * answer gives null unless it carries `tax_rounding` (undocumented there); Zoho's invoice and credit note answers do
 * carry `tax_rounding` ("entity_level" / "item_level" in public payloads of real answers), so the engine can pass one.
 */
export function arithmeticOf(organization: Record<string, unknown>): ZohoArithmetic | null {
  const taxRounding =
    organization.tax_rounding === "item_level"
      ? "item"
      : organization.tax_rounding === "entity_level"
        ? "entity"
        : null;
  if (!taxRounding) return null;
  const precision = Number(organization.price_precision);
  return Number.isInteger(precision) && precision >= 0 && precision <= 8
    ? { taxRounding, pricePrecision: precision }
    : { taxRounding };
}

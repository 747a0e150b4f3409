// Zoho's arithmetic for invoices and credit notes, as the simulator answers it: exact fractions, rounded where Zoho rounds.
// Written apart from server/sync/totals.ts on purpose: the reconciliation test compares the two.
//
// What it does, and on what authority:
// - The line rate is rounded to the currency's price precision before anything else (a Books API user's report:
//   54.54545 at 10 % became 54.55 + 5.46 = 60.01; help.zoho.com community "tax-calculation-based-on-actual-price-not-
//   the-rounded-price"); line amounts and every total are rounded to that precision (invoices.yml `price_precision`).
// - Rounding is half away from zero (real answers carry `"bcy_rounding_mode": "round_half_up"`).
// - Tax rounding `item_level`: each line's tax for each tax is rounded, then added up. `entity_level`: each tax is
//   rounded once, on the sum over the lines that carry it ("the total tax liable is calculated on the final invoice
//   amount … split up with respect to the different tax groups", Zoho KB items/tax-calculated). The values are the
//   `tax_rounding` real invoice answers carry.
// - A tax group is the sum of its taxes (Zoho help settings/taxes: "the total tax rate of a tax group will be the sum of
//   all the tax rates"); each member is computed and rounded on its own, as the answer's `taxes` lists each member.
//   Summing a member per tax id across single taxes and groups at entity level is UNVERIFIED.
// - `is_inclusive_tax`: a line's amount includes its taxes; each tax is amount × rate ÷ (100 + the line's total rate),
//   and the total is the sum of the amounts (UNVERIFIED beyond invoices.yml's description of the flag).
// - Discounts (invoices.yml `discount`, `discount_type`, `is_discount_before_tax`, line `discount`/`discount_amount`):
//   a percentage or an amount; a line's comes off its amount before tax; the document's, before tax, is shared over
//   the lines in proportion to their amounts and taxed that way, after tax comes off the total. The sharing and where
//   the discount is rounded are UNVERIFIED.
// - `adjustment` is added after tax (invoices.yml: "applied after tax calculation").
// Not simulated: "Rounding off in sales transactions" (real answers: `transaction_rounding_type`, `roundoff_value`;
// only "no_rounding" has been seen), shipping charges, compound taxes, TDS.

import { fromUnits, toUnits } from "@/server/money";

/** An exact rational number n/d with d > 0. */
type Fraction = { n: bigint; d: bigint };

const ZERO: Fraction = { n: 0n, d: 1n };
const TEN = 10n;

function fraction(decimal: string): Fraction {
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!match || (!match[2] && !match[3])) throw new Error(`Not a decimal number: "${decimal}"`);
  const [, sign, whole = "", digits = ""] = match;
  const n = BigInt(`${whole || "0"}${digits}`);
  return { n: sign ? -n : n, d: TEN ** BigInt(digits.length) };
}

function gcd(a: bigint, b: bigint): bigint {
  for (let [x, y] = [a < 0n ? -a : a, b]; ; [x, y] = [y, x % y]) if (y === 0n) return x;
}

/** n/d in lowest terms with a positive denominator. */
function reduced(n: bigint, d: bigint): Fraction {
  const sign = d < 0n ? -1n : 1n;
  const divisor = gcd(n, d < 0n ? -d : d) || 1n;
  return { n: (sign * n) / divisor, d: (sign * d) / divisor };
}

const plus = (a: Fraction, b: Fraction): Fraction => reduced(a.n * b.d + b.n * a.d, a.d * b.d);
const minus = (a: Fraction, b: Fraction): Fraction => plus(a, { n: -b.n, d: b.d });
const times = (a: Fraction, b: Fraction): Fraction => reduced(a.n * b.n, a.d * b.d);
const over = (a: Fraction, b: Fraction): Fraction => reduced(a.n * b.d, a.d * b.n);
const sum = (values: Fraction[]) => values.reduce(plus, ZERO);

/** Rounded half away from zero to `places` decimals, still exact. */
function rounded(a: Fraction, places: number): Fraction {
  const scale = TEN ** BigInt(places);
  const magnitude = a.n < 0n ? -a.n : a.n;
  const units = (2n * magnitude * scale + a.d) / (2n * a.d);
  return { n: a.n < 0n ? -units : units, d: scale };
}

/** The decimal text of a fraction rounded to `places`. */
function text(a: Fraction, places: number): string {
  const units = rounded(a, places).n;
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
  const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${body}` : body;
}

const PERCENT = { n: 100n, d: 1n };

/** A discount as the API takes it: a percentage ("12.5%") or an amount. */
export type Discount = { percent: string } | { amount: string };
export type TaxShare = { taxId: string; taxName: string; percentage: string };
export type PricedLine = { rate: string; quantity: string; discount: Discount | null; taxes: TaxShare[] };
export type DocumentTerms = {
  lines: PricedLine[];
  taxRounding: "item_level" | "entity_level";
  /** The currency's price precision (2 for most). */
  precision: number;
  inclusive: boolean;
  discount: Discount | null;
  discountBeforeTax: boolean;
  adjustment: string;
};

export type LineTotals = {
  rate: string;
  discountAmount: string;
  itemTotal: string;
  taxes: (TaxShare & { amount: string })[];
};
export type DocumentTotals = {
  lines: LineTotals[];
  subTotal: string;
  discountTotal: string;
  taxTotal: string;
  /** One entry per tax (a group's members apart), in the order the lines first name them. */
  taxes: { taxId: string; taxName: string; amount: string }[];
  adjustment: string;
  total: string;
};

function discountOn(base: Fraction, discount: Discount | null, places: number): Fraction {
  if (!discount) return ZERO;
  return "percent" in discount
    ? rounded(over(times(base, fraction(discount.percent)), PERCENT), places)
    : rounded(fraction(discount.amount), places);
}

export function documentTotals(terms: DocumentTerms): DocumentTotals {
  const places = terms.precision;
  const priced = terms.lines.map((line) => {
    const rate = rounded(fraction(line.rate), places);
    const gross = rounded(times(rate, fraction(line.quantity)), places);
    const discountAmount = discountOn(gross, line.discount, places);
    return { line, rate, discountAmount, itemTotal: minus(gross, discountAmount) };
  });
  const subTotal = sum(priced.map((line) => line.itemTotal));
  const documentDiscount = terms.discountBeforeTax ? discountOn(subTotal, terms.discount, places) : ZERO;
  // A document discount before tax leaves each line this share of its amount to be taxed.
  const taxedShare = subTotal.n === 0n ? { n: 1n, d: 1n } : over(minus(subTotal, documentDiscount), subTotal);

  const byTax = new Map<string, { taxName: string; exact: Fraction[]; rounded: Fraction[] }>();
  const lines = priced.map(({ line, rate, discountAmount, itemTotal }): LineTotals => {
    const taxed = times(itemTotal, taxedShare);
    const lineRate = sum(line.taxes.map((tax) => fraction(tax.percentage)));
    const taxes = line.taxes.map((tax) => {
      const divisor = terms.inclusive ? plus(PERCENT, lineRate) : PERCENT;
      const exact = over(times(taxed, fraction(tax.percentage)), divisor);
      const entry =
        byTax.get(tax.taxId) ?? byTax.set(tax.taxId, { taxName: tax.taxName, exact: [], rounded: [] }).get(tax.taxId)!;
      entry.exact.push(exact);
      entry.rounded.push(rounded(exact, places));
      return { ...tax, amount: text(exact, places) };
    });
    return {
      rate: text(rate, places),
      discountAmount: text(discountAmount, places),
      itemTotal: text(itemTotal, places),
      taxes,
    };
  });

  const taxes = [...byTax].map(([taxId, entry]) => ({
    taxId,
    taxName: entry.taxName,
    amount: terms.taxRounding === "item_level" ? sum(entry.rounded) : rounded(sum(entry.exact), places),
  }));
  const taxTotal = sum(taxes.map((tax) => tax.amount));
  const beforeAdjustment = terms.inclusive
    ? minus(subTotal, documentDiscount)
    : plus(minus(subTotal, documentDiscount), taxTotal);
  const afterTaxDiscount = terms.discountBeforeTax ? ZERO : discountOn(beforeAdjustment, terms.discount, places);
  const adjustment = rounded(fraction(terms.adjustment), places);
  return {
    lines,
    subTotal: text(subTotal, places),
    discountTotal: text(plus(documentDiscount, afterTaxDiscount), places),
    taxTotal: text(taxTotal, places),
    taxes: taxes.map((tax) => ({ taxId: tax.taxId, taxName: tax.taxName, amount: text(tax.amount, places) })),
    adjustment: text(adjustment, places),
    total: text(plus(minus(beforeAdjustment, afterTaxDiscount), adjustment), places),
  };
}

/** A JSON number or numeric string as exact decimal text (JSON numbers print as their shortest decimal form). */
export function decimalText(value: unknown): string {
  if (typeof value === "string" && /^-?\d*\.?\d+$/.test(value.trim())) return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) {
    const printed = String(value);
    return /e/i.test(printed) ? value.toFixed(20).replace(/\.?0+$/, "") : printed;
  }
  throw new Error(`Not a number: ${JSON.stringify(value)}`);
}

/** The API's discount: a number is an amount, "12.5%" a percentage (as public Books clients send and read it). */
export function discountOf(value: unknown): Discount | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && value.trim().endsWith("%"))
    return { percent: decimalText(value.trim().slice(0, -1)) };
  return { amount: decimalText(value) };
}

/** A discount as Books writes it back: a percentage as "10.00%", an amount as a number. */
export function discountEcho(value: unknown): string | number {
  const discount = discountOf(value);
  if (!discount) return 0;
  return "percent" in discount ? `${text(fraction(discount.percent), 2)}%` : Number(discount.amount);
}

/** A decimal string as the JSON number Zoho sends. */
export const asNumber = (value: string) => Number(value);
export const isZero = (value: string) => toUnits(value, 2) === 0n;
export const subtract = (a: string, b: string) => fromUnits(toUnits(a, 2) - toUnits(b, 2), 2);

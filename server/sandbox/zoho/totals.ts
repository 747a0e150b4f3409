// Zoho's arithmetic for documents: the line rate rounded to 2 decimals first, tax per line, then the adjustment.
import { add, fromUnits, multiply, percentOf, round, toUnits } from "@/server/money";

export type PricedLine = { rate: number; quantity: number; taxPercentage: number };

export function zohoLineTotals(line: PricedLine) {
  const rate = round(String(line.rate), 2);
  const itemTotal = multiply(rate, String(line.quantity), 2);
  const tax = round(percentOf(itemTotal, String(line.taxPercentage)), 2);
  return { rate, itemTotal, tax };
}

export function zohoDocumentTotals(lines: PricedLine[], adjustment = 0) {
  const perLine = lines.map(zohoLineTotals);
  const subTotal = add(perLine.map((line) => line.itemTotal), 2);
  const taxTotal = add(perLine.map((line) => line.tax), 2);
  const total = add([subTotal, taxTotal, round(String(adjustment), 2)], 2);
  return { perLine, subTotal, taxTotal, total };
}

/** A decimal string as the JSON number Zoho sends. */
export const asNumber = (value: string) => Number(value);
export const isZero = (value: string) => toUnits(value, 2) === 0n;
export const subtract = (a: string, b: string) => fromUnits(toUnits(a, 2) - toUnits(b, 2), 2);

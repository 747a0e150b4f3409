// What invoices and credit notes share: numbering, priced lines, Zoho's totals and the lean list summary.
import { zohoError, zohoTimestamp, type BooksCall } from "./api";
import type { BooksRecord, Organization } from "./store";
import { asNumber, zohoDocumentTotals } from "./totals";

export type DocumentKind = {
  numberField: "invoice_number" | "creditnote_number";
  label: "Invoice" | "Credit note";
  /** Zoho's default auto-number prefix. */
  prefix: string;
  collection: (org: Organization) => Map<string, BooksRecord>;
};

export const today = (now: number) => new Date(now).toISOString().slice(0, 10);

export function documentSummary(document: BooksRecord): BooksRecord {
  const { line_items: _lines, taxes: _taxes, billing_address: _address, ...rest } = document;
  return rest;
}

export function priceLines(org: Organization, lines: BooksRecord[]): { lines: BooksRecord[]; error?: Response } {
  const priced: BooksRecord[] = [];
  for (const [index, line] of lines.entries()) {
    const item = line.item_id ? org.items.get(String(line.item_id)) : undefined;
    if (line.item_id && !item) return { lines: [], error: zohoError(400, 1002, "Item does not exist.") };
    const tax = line.tax_id ? org.taxes.get(String(line.tax_id)) : undefined;
    if (line.tax_id && !tax) return { lines: [], error: zohoError(400, 1002, "Tax does not exist.") };
    priced.push({
      ...line,
      line_item_id: org.newId(),
      item_order: index + 1,
      name: line.name ?? item?.name ?? "",
      rate: Number(line.rate ?? item?.rate ?? 0),
      quantity: Number(line.quantity ?? 1),
      tax_id: tax?.tax_id ?? "",
      tax_name: tax?.tax_name ?? "",
      tax_percentage: tax ? Number(tax.tax_percentage) : 0,
    });
  }
  return { lines: priced };
}

/** Fills in the totals Zoho computes, from priced lines and the adjustment. */
export function withTotals(document: BooksRecord, lines: BooksRecord[]): BooksRecord {
  const pricedLines = lines.map((line) => ({ rate: Number(line.rate), quantity: Number(line.quantity), taxPercentage: Number(line.tax_percentage) }));
  const totals = zohoDocumentTotals(pricedLines, Number(document.adjustment ?? 0));
  const byTax = new Map<string, number>();
  lines.forEach((line, index) => line.tax_name && byTax.set(String(line.tax_name), (byTax.get(String(line.tax_name)) ?? 0) + asNumber(totals.perLine[index]!.tax)));
  return {
    ...document,
    line_items: lines.map((line, index) => ({ ...line, rate: asNumber(totals.perLine[index]!.rate), item_total: asNumber(totals.perLine[index]!.itemTotal) })),
    sub_total: asNumber(totals.subTotal),
    tax_total: asNumber(totals.taxTotal),
    taxes: [...byTax].map(([tax_name, tax_amount]) => ({ tax_name, tax_amount: Number(tax_amount.toFixed(2)) })),
    total: asNumber(totals.total),
  };
}

/** A new document's common fields, numbered, priced and totalled; or Zoho's refusal. */
export function draftDocument({ org, params, body, now }: BooksCall, kind: DocumentKind): BooksRecord | Response {
  const collection = kind.collection(org);
  const { numberField } = kind;
  const customer = org.contacts.get(String(body.customer_id));
  if (!customer) return zohoError(400, 1002, "Contact does not exist.");
  const ownNumber = params.get("ignore_auto_number_generation") === "true";
  // A caller's own number needs ignore_auto_number_generation (inferred: Zoho mandates it for custom numbers).
  if (body[numberField] && !ownNumber) return zohoError(400, 4, `Invalid value passed for ${numberField}: auto-numbering is on; pass ignore_auto_number_generation=true to set your own.`);
  const number = ownNumber ? String(body[numberField] ?? "") : `${kind.prefix}-${String(collection.size + 1).padStart(6, "0")}`;
  if (!number) return zohoError(400, 4, `${numberField} is required when ignore_auto_number_generation is true.`);
  if ([...collection.values()].some((document) => document[numberField] === number)) {
    return zohoError(400, 1001, `${kind.label} number ${number} already exists. Please enter a different one.`);
  }
  const priced = priceLines(org, (body.line_items as BooksRecord[]) ?? []);
  if (priced.error) return priced.error;
  const currency = org.currencies.get(String(body.currency_id ?? customer.currency_id));
  if (!currency) return zohoError(400, 1002, "Currency does not exist.");
  const stamp = zohoTimestamp(now, org.details.timeZone);
  return withTotals(
    {
      ...body,
      [numberField]: number,
      customer_id: customer.contact_id,
      customer_name: customer.contact_name,
      currency_id: currency.currency_id,
      currency_code: currency.currency_code,
      date: body.date ?? today(now),
      created_time: stamp,
      last_modified_time: stamp,
    },
    priced.lines,
  );
}

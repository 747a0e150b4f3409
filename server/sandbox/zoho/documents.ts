// What invoices and credit notes share: numbering, priced lines, Zoho's totals and the lean list summary.
import { invalidValue, zohoError, zohoTimestamp, type BooksCall } from "./api";
import type { BooksRecord, Organization } from "./store";
import { asNumber, decimalText, discountEcho, discountOf, documentTotals, type TaxShare } from "./totals";

export type DocumentKind = {
  numberField: "invoice_number" | "creditnote_number";
  label: "Invoice" | "Credit note";
  /** Zoho's default auto-number prefix. */
  prefix: string;
  collection: (org: Organization) => Map<string, BooksRecord>;
};

export const today = (now: number) => new Date(now).toISOString().slice(0, 10);

/** A list row: the document without its lines, taxes and address (invoices.yml list-invoices-response). */
export function documentSummary(document: BooksRecord): BooksRecord {
  const { line_items: _lines, taxes: _taxes, billing_address: _address, ...rest } = document;
  return rest;
}

/** Each line as Zoho keeps it: its item's name and rate when it sends none, its tax's name, type and percentage. */
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
      rate: Number(decimalText(line.rate ?? item?.rate ?? 0)),
      quantity: Number(decimalText(line.quantity ?? 1)),
      discount: discountEcho(line.discount ?? line.discount_amount),
      tax_id: tax?.tax_id ?? "",
      tax_name: tax?.tax_name ?? "",
      tax_type: tax?.tax_type ?? "",
      tax_percentage: tax ? Number(tax.tax_percentage) : 0,
    });
  }
  return { lines: priced };
}

/** The taxes a line's tax stands for: itself, or each member of a tax group. */
function taxSharesOf(org: Organization, line: BooksRecord): TaxShare[] {
  const tax = line.tax_id ? org.taxes.get(String(line.tax_id)) : undefined;
  if (!tax) return [];
  const members =
    tax.tax_type === "tax_group"
      ? (org.taxGroups.get(String(tax.tax_id)) ?? []).map((id) => org.taxes.get(id)!)
      : [tax];
  return members.map((member) => ({
    taxId: String(member.tax_id),
    taxName: String(member.tax_name),
    percentage: decimalText(member.tax_percentage),
  }));
}

/**
 * Fills in the totals Zoho computes (see ./totals): from the priced lines, the document's tax mode and discounts, the
 * organization's tax rounding as the document recorded it when created, and the adjustment.
 */
export function withTotals(org: Organization, document: BooksRecord, lines: BooksRecord[]): BooksRecord {
  const currency = org.currencies.get(String(document.currency_id));
  const taxRounding = document.tax_rounding === "entity_level" ? "entity_level" : "item_level";
  const discountType = document.discount_type === "item_level" ? "item_level" : "entity_level";
  const discountBeforeTax = document.is_discount_before_tax !== false;
  const totals = documentTotals({
    lines: lines.map((line) => ({
      rate: decimalText(line.rate),
      quantity: decimalText(line.quantity),
      discount: discountOf(line.discount),
      taxes: taxSharesOf(org, line),
    })),
    taxRounding,
    precision: Number(currency?.price_precision ?? 2),
    inclusive: document.is_inclusive_tax === true,
    discount: discountType === "entity_level" ? discountOf(document.discount) : null,
    discountBeforeTax,
    adjustment: decimalText(document.adjustment ?? 0),
  });
  // `line_item_taxes`, `discount_total` and `tax_rounding` are not in the files but are in real answers (public
  // payloads of Books invoices); the rest is invoice-response's.
  return {
    ...document,
    line_items: lines.map((line, index) => {
      const priced = totals.lines[index]!;
      const lineItemTaxes = priced.taxes.map((tax) => ({
        tax_id: tax.taxId,
        tax_name: tax.taxName,
        tax_percentage: asNumber(tax.percentage),
        tax_amount: asNumber(tax.amount),
      }));
      return {
        ...line,
        rate: asNumber(priced.rate),
        discount_amount: asNumber(priced.discountAmount),
        item_total: asNumber(priced.itemTotal),
        line_item_taxes: lineItemTaxes,
      };
    }),
    discount: discountEcho(document.discount),
    discount_type: discountType,
    is_discount_before_tax: discountBeforeTax,
    is_inclusive_tax: document.is_inclusive_tax === true,
    tax_rounding: taxRounding,
    price_precision: Number(currency?.price_precision ?? 2),
    sub_total: asNumber(totals.subTotal),
    discount_total: asNumber(totals.discountTotal),
    tax_total: asNumber(totals.taxTotal),
    taxes: totals.taxes.map((tax) => ({ tax_name: tax.taxName, tax_amount: asNumber(tax.amount) })),
    adjustment: asNumber(totals.adjustment),
    total: asNumber(totals.total),
  };
}

/**
 * A document in another currency than the organization's base needs `exchange_rate` (invoices.yml: "Required when
 * the invoice currency differs from the organization's base currency"). Zoho's refusal (code and wording) is
 * UNVERIFIED: the simulator answers its invalid-value refusal.
 */
export function exchangeRateRefusal(currency: BooksRecord, exchangeRate: unknown): Response | undefined {
  if (currency.is_base_currency) return undefined;
  return typeof exchangeRate === "number" && exchangeRate > 0 ? undefined : invalidValue("exchange_rate");
}

/** Keeps a new document under its id, its number taken. */
export function storeDocument(org: Organization, kind: DocumentKind, id: string, document: BooksRecord) {
  kind.collection(org).set(id, document);
  org.numbers[kind.numberField].set(String(document[kind.numberField]), id);
}

/** A new document's common fields, numbered, priced and totalled; or Zoho's refusal. */
export function draftDocument({ org, params, body, now }: BooksCall, kind: DocumentKind): BooksRecord | Response {
  const collection = kind.collection(org);
  const { numberField } = kind;
  const customer = org.contacts.get(String(body.customer_id));
  if (!customer) return zohoError(400, 1002, "Contact does not exist.");
  const ownNumber = params.get("ignore_auto_number_generation") === "true";
  // A caller's own number needs ignore_auto_number_generation (inferred: Zoho mandates it for custom numbers).
  if (body[numberField] && !ownNumber)
    return zohoError(
      400,
      4,
      `Invalid value passed for ${numberField}: auto-numbering is on; pass ignore_auto_number_generation=true to set your own.`,
    );
  const number = ownNumber
    ? String(body[numberField] ?? "")
    : `${kind.prefix}-${String(collection.size + 1).padStart(6, "0")}`;
  if (!number) return zohoError(400, 4, `${numberField} is required when ignore_auto_number_generation is true.`);
  if (org.numbers[numberField].has(number)) {
    return zohoError(400, 1001, `${kind.label} number ${number} already exists. Please enter a different one.`);
  }
  const priced = priceLines(org, (body.line_items as BooksRecord[]) ?? []);
  if (priced.error) return priced.error;
  const currency = org.currencies.get(String(body.currency_id ?? customer.currency_id));
  if (!currency) return zohoError(400, 1002, "Currency does not exist.");
  const foreignRefusal = exchangeRateRefusal(currency, body.exchange_rate);
  if (foreignRefusal) return foreignRefusal;
  const stamp = zohoTimestamp(now, org.details.timeZone);
  return withTotals(
    org,
    {
      ...body,
      [numberField]: number,
      customer_id: customer.contact_id,
      customer_name: customer.contact_name,
      currency_id: currency.currency_id,
      currency_code: currency.currency_code,
      exchange_rate: currency.is_base_currency ? 1 : body.exchange_rate,
      tax_rounding: org.preferences.taxRounding,
      date: body.date ?? today(now),
      created_time: stamp,
      last_modified_time: stamp,
    },
    priced.lines,
  );
}

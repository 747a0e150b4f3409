// Invoices (invoices.yml): create with Zoho's numbering and totals, list, read, update, mark sent, void.
import { add, compare } from "@/server/money";
import {
  envelope,
  invalidValue,
  matchesTextFilters,
  page,
  sortRecords,
  parseZohoTimestamp,
  zohoError,
  zohoTimestamp,
  type BooksCall,
  type BooksRoutes,
} from "./api";
import {
  documentSummary,
  draftDocument,
  exchangeRateRefusal,
  priceLines,
  storeDocument,
  today,
  withTotals,
  type DocumentKind,
} from "./documents";
import type { BooksRecord, Organization } from "./store";
import { asNumber, isZero, subtract } from "./totals";

const INVOICE: DocumentKind = {
  numberField: "invoice_number",
  label: "Invoice",
  prefix: "INV",
  collection: (org) => org.invoices,
};

/** The status Zoho shows: paid, partially paid and overdue follow the balance and the due date. */
export function invoiceStatus(invoice: BooksRecord, now: number): string {
  if (invoice.status === "void" || invoice.status === "draft") return String(invoice.status);
  const balance = String(invoice.balance);
  if (isZero(balance)) return "paid";
  if (compare(balance, String(invoice.total)) < 0) return "partially_paid";
  return String(invoice.due_date ?? "9999") < today(now) ? "overdue" : "sent";
}

/** Moves `amount` (negative to undo) from the invoice's balance to its payments or credits. */
export function settle(
  { org, now }: Pick<BooksCall, "org" | "now">,
  invoice: BooksRecord,
  amount: string,
  kind: "payment_made" | "credits_applied",
) {
  invoice[kind] = asNumber(add([String(invoice[kind] ?? 0), amount], 2));
  invoice.balance = asNumber(subtract(String(invoice.balance), amount));
  invoice.status = invoiceStatus(invoice, now);
  invoice.last_modified_time = zohoTimestamp(now, org.details.timeZone);
}

// invoices.yml's sort_column values.
const INVOICE_SORT_COLUMNS = [
  "customer_name",
  "invoice_number",
  "date",
  "due_date",
  "total",
  "balance",
  "created_time",
];

function listInvoices({ org, params, now }: BooksCall): Response {
  const modifiedAfterText = params.get("last_modified_time");
  // invoices.yml: "modified after", `YYYY-MM-DDTHH:MM:SS±hhmm` with `+` sent as %2B. Zoho's refusal of another form is unknown.
  const modifiedAfter = modifiedAfterText === null ? null : parseZohoTimestamp(modifiedAfterText);
  if (Number.isNaN(modifiedAfter)) return invalidValue("last_modified_time");
  const invoices = [...org.invoices.values()]
    .map((invoice): BooksRecord => ({ ...invoice, status: invoiceStatus(invoice, now) }))
    .filter(
      (invoice) =>
        (!params.get("customer_id") || invoice.customer_id === params.get("customer_id")) &&
        (!params.get("status") || invoice.status === params.get("status")) &&
        (modifiedAfter === null || Date.parse(String(invoice.last_modified_time)) > modifiedAfter) &&
        matchesTextFilters(invoice, params, ["invoice_number", "reference_number"]),
    )
    .map(documentSummary);
  return envelope(
    200,
    page(sortRecords(invoices, params, INVOICE_SORT_COLUMNS, "created_time"), params, "invoices", "created_time"),
  );
}

function createInvoice(call: BooksCall): Response {
  const base = draftDocument(call, INVOICE);
  if (base instanceof Response) return base;
  const invoiceId = call.org.newId();
  const invoice = {
    ...base,
    invoice_id: invoiceId,
    due_date: call.body.due_date ?? base.date,
    payment_made: 0,
    credits_applied: 0,
    balance: base.total,
    status: call.params.get("send") === "true" ? "sent" : "draft",
  };
  invoice.status = invoiceStatus(invoice, call.now);
  storeDocument(call.org, INVOICE, invoiceId, invoice);
  return envelope(201, { code: 0, message: "The invoice has been created.", invoice });
}

function updateInvoice({ org, id, params, body, now }: BooksCall): Response {
  const invoice = org.invoices.get(id);
  if (!invoice) return zohoError(404, 1002, "Invoice does not exist.");
  const status = invoiceStatus(invoice, now);
  // Inferred wording: Zoho refuses edits to paid and void invoices.
  if (status === "paid" || status === "void")
    return zohoError(400, 1067, `You cannot edit an invoice that is ${status}.`);
  if (body.invoice_number && body.invoice_number !== invoice.invoice_number) {
    if (params.get("ignore_auto_number_generation") !== "true")
      return zohoError(
        400,
        4,
        "Invalid value passed for invoice_number: pass ignore_auto_number_generation=true to change it.",
      );
    if (org.numbers.invoice_number.has(String(body.invoice_number)))
      return zohoError(
        400,
        1001,
        `Invoice number ${String(body.invoice_number)} already exists. Please enter a different one.`,
      );
  }
  // Line items are replaced as a whole: a line left out is deleted.
  const priced = priceLines(
    org,
    (body.line_items as BooksRecord[] | undefined) ?? (invoice.line_items as BooksRecord[]),
  );
  if (priced.error) return priced.error;
  const currency = org.currencies.get(String(body.currency_id ?? invoice.currency_id));
  if (!currency) return zohoError(400, 1002, "Currency does not exist.");
  const exchangeRate = currency.is_base_currency
    ? 1
    : (body.exchange_rate ?? (currency.currency_id === invoice.currency_id ? invoice.exchange_rate : undefined));
  const foreignRefusal = exchangeRateRefusal(currency, exchangeRate);
  if (foreignRefusal) return foreignRefusal;
  // The document keeps the tax rounding it was created with (UNVERIFIED; Zoho FSM's help says a clone keeps its
  // parent's rounding preference, the nearest documented behaviour).
  const changes = {
    ...body,
    currency_id: currency.currency_id,
    currency_code: currency.currency_code,
    exchange_rate: exchangeRate,
    tax_rounding: invoice.tax_rounding,
  };
  const updated = withTotals(
    org,
    { ...invoice, ...changes, last_modified_time: zohoTimestamp(now, org.details.timeZone) },
    priced.lines,
  );
  const paid = subtract(String(invoice.total), String(invoice.balance));
  updated.balance = asNumber(subtract(String(updated.total), paid));
  if (compare(String(updated.balance), "0") < 0)
    return zohoError(400, 4, "The invoice total cannot be less than the amount already paid or credited.");
  updated.status = invoiceStatus(updated, now);
  org.invoices.set(id, updated);
  org.numbers.invoice_number.delete(String(invoice.invoice_number));
  org.numbers.invoice_number.set(String(updated.invoice_number), id);
  return envelope(200, { code: 0, message: "Invoice information has been updated.", invoice: updated });
}

/** Voids an invoice: its payments and credits go back to the customer as unused credit. */
export function voidInvoice(org: Organization, invoice: BooksRecord, now: number) {
  for (const payment of org.payments.values()) {
    const applied = (payment.invoices as BooksRecord[]).filter((entry) => entry.invoice_id === invoice.invoice_id);
    for (const entry of applied)
      payment.unused_amount = asNumber(add([String(payment.unused_amount), String(entry.amount_applied)], 2));
    payment.invoices = (payment.invoices as BooksRecord[]).filter((entry) => entry.invoice_id !== invoice.invoice_id);
  }
  Object.assign(invoice, {
    status: "void",
    balance: 0,
    payment_made: 0,
    credits_applied: 0,
    last_modified_time: zohoTimestamp(now, org.details.timeZone),
  });
}

export const invoiceRoutes: BooksRoutes = {
  "GET /invoices": listInvoices,
  "POST /invoices": createInvoice,
  "GET /invoices/{invoice_id}": ({ org, id, now }) => {
    const invoice = org.invoices.get(id);
    return invoice
      ? envelope(200, { code: 0, message: "success", invoice: { ...invoice, status: invoiceStatus(invoice, now) } })
      : zohoError(404, 1002, "Invoice does not exist.");
  },
  "PUT /invoices/{invoice_id}": updateInvoice,
  "POST /invoices/{invoice_id}/status/sent": ({ org, id, now }) => {
    const invoice = org.invoices.get(id);
    if (!invoice) return zohoError(404, 1002, "Invoice does not exist.");
    if (invoice.status === "draft") invoice.status = "sent";
    invoice.status = invoiceStatus(invoice, now);
    invoice.last_modified_time = zohoTimestamp(now, org.details.timeZone);
    return envelope(200, { code: 0, message: "Invoice status has been changed to Sent." });
  },
  "POST /invoices/{invoice_id}/status/void": ({ org, id, now }) => {
    const invoice = org.invoices.get(id);
    if (!invoice) return zohoError(404, 1002, "Invoice does not exist.");
    voidInvoice(org, invoice, now);
    return envelope(200, { code: 0, message: "Invoice status has been changed to Void." });
  },
};

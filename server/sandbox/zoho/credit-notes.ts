// Credit notes (credit-notes.yml): create with Zoho's numbering and totals, list, read, update, void, apply to invoices
// and list where they were applied.
import { compare, negate } from "@/server/money";
import {
  envelope,
  matchesTextFilters,
  page,
  sortRecords,
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
import { settle } from "./invoices";
import type { BooksRecord } from "./store";
import { asNumber, isZero, subtract } from "./totals";

const CREDIT_NOTE: DocumentKind = {
  numberField: "creditnote_number",
  label: "Credit note",
  prefix: "CN",
  collection: (org) => org.creditNotes,
};

/** open while credit is left, closed when all of it is applied; draft and void stay as they are. */
const statusFor = (note: BooksRecord) =>
  note.status === "draft" || note.status === "void"
    ? String(note.status)
    : isZero(String(note.balance))
      ? "closed"
      : "open";

function createCreditNote(call: BooksCall): Response {
  const base = draftDocument(call, CREDIT_NOTE);
  if (base instanceof Response) return base;
  const creditNoteId = call.org.newId();
  const note = {
    ...base,
    creditnote_id: creditNoteId,
    balance: base.total,
    status: call.body.is_draft ? "draft" : "open",
    invoices: [],
  };
  storeDocument(call.org, CREDIT_NOTE, creditNoteId, note);
  return envelope(201, { code: 0, message: "The credit note has been created.", creditnote: note });
}

/** PUT: lines replaced as a whole; refused for a void note or below the credit already applied (wording inferred). */
function updateCreditNote({ org, id, params, body, now }: BooksCall): Response {
  const note = org.creditNotes.get(id);
  if (!note) return zohoError(404, 1002, "Credit note does not exist.");
  if (note.status === "void") return zohoError(400, 1067, "You cannot edit a credit note that is void.");
  if (body.creditnote_number && body.creditnote_number !== note.creditnote_number) {
    if (params.get("ignore_auto_number_generation") !== "true")
      return zohoError(
        400,
        4,
        "Invalid value passed for creditnote_number: pass ignore_auto_number_generation=true to change it.",
      );
    if (org.numbers.creditnote_number.has(String(body.creditnote_number)))
      return zohoError(
        400,
        1001,
        `Credit note number ${String(body.creditnote_number)} already exists. Please enter a different one.`,
      );
  }
  const priced = priceLines(org, (body.line_items as BooksRecord[] | undefined) ?? (note.line_items as BooksRecord[]));
  if (priced.error) return priced.error;
  const currency = org.currencies.get(String(body.currency_id ?? note.currency_id));
  if (!currency) return zohoError(400, 1002, "Currency does not exist.");
  const exchangeRate = currency.is_base_currency
    ? 1
    : (body.exchange_rate ?? (currency.currency_id === note.currency_id ? note.exchange_rate : undefined));
  const foreignRefusal = exchangeRateRefusal(currency, exchangeRate);
  if (foreignRefusal) return foreignRefusal;
  const changes = {
    ...body,
    currency_id: currency.currency_id,
    currency_code: currency.currency_code,
    exchange_rate: exchangeRate,
    tax_rounding: note.tax_rounding,
  };
  const updated = withTotals(
    org,
    { ...note, ...changes, last_modified_time: zohoTimestamp(now, org.details.timeZone) },
    priced.lines,
  );
  const applied = subtract(String(note.total), String(note.balance));
  updated.balance = asNumber(subtract(String(updated.total), applied));
  if (compare(String(updated.balance), "0") < 0)
    return zohoError(400, 4, "The credit note total cannot be less than the credits already applied.");
  updated.status = statusFor(updated);
  org.creditNotes.set(id, updated);
  org.numbers.creditnote_number.delete(String(note.creditnote_number));
  org.numbers.creditnote_number.set(String(updated.creditnote_number), id);
  return envelope(200, { code: 0, message: "The credit note has been updated.", creditnote: updated });
}

/** Applies credit to the customer's invoices, each entry no more than the credit left and the invoice's balance. */
function applyToInvoices(call: BooksCall): Response {
  const { org, id, body, now } = call;
  const note = org.creditNotes.get(id);
  if (!note) return zohoError(404, 1002, "Credit note does not exist.");
  if (note.status === "draft" || note.status === "void")
    return zohoError(400, 4, `Credits cannot be applied from a ${String(note.status)} credit note.`);
  for (const entry of (body.invoices as BooksRecord[]) ?? []) {
    const invoice = org.invoices.get(String(entry.invoice_id));
    if (!invoice || invoice.customer_id !== note.customer_id) return zohoError(400, 1002, "Invoice does not exist.");
    const amount = String(entry.amount_applied);
    if (compare(amount, String(note.balance)) > 0 || compare(amount, String(invoice.balance)) > 0)
      return zohoError(400, 4, "The amount applied exceeds the available credit or the invoice balance.");
    settle(call, invoice, amount, "credits_applied");
    note.balance = asNumber(subtract(String(note.balance), amount));
    (note.invoices as BooksRecord[]).push({
      creditnote_invoice_id: org.newId(),
      invoice_id: invoice.invoice_id,
      invoice_number: invoice.invoice_number,
      date: today(now),
      amount_applied: Number(amount),
    });
  }
  note.status = statusFor(note);
  return envelope(200, { code: 0, message: "Credits have been applied to the invoice(s)." });
}

/**
 * Voids a credit note. What Zoho does with credit already applied to invoices is UNVERIFIED: here it goes back to
 * those invoices' balances, as voiding an invoice returns its payments and credits (invoices.yml).
 */
function voidCreditNote(call: BooksCall): Response {
  const { org, id, now } = call;
  const note = org.creditNotes.get(id);
  if (!note) return zohoError(404, 1002, "Credit note does not exist.");
  for (const entry of note.invoices as BooksRecord[]) {
    const invoice = org.invoices.get(String(entry.invoice_id));
    if (invoice && invoice.status !== "void")
      settle(call, invoice, negate(String(entry.amount_applied)), "credits_applied");
  }
  Object.assign(note, {
    status: "void",
    balance: 0,
    invoices: [],
    last_modified_time: zohoTimestamp(now, org.details.timeZone),
  });
  return envelope(200, { code: 0, message: "The credit note has been marked as void." });
}

// credit-notes.yml's sort_column values.
const CREDIT_NOTE_SORT_COLUMNS = ["customer_name", "creditnote_number", "balance", "total", "date", "created_time"];

export const creditNoteRoutes: BooksRoutes = {
  "GET /creditnotes": ({ org, params }) => {
    const forCustomer = (note: BooksRecord) =>
      !params.get("customer_id") || note.customer_id === params.get("customer_id");
    const notes = [...org.creditNotes.values()].filter(
      (note) => forCustomer(note) && matchesTextFilters(note, params, ["creditnote_number"]),
    );
    const sorted = sortRecords(notes.map(documentSummary), params, CREDIT_NOTE_SORT_COLUMNS, "created_time");
    return envelope(200, page(sorted, params, "creditnotes", "created_time"));
  },
  "POST /creditnotes": createCreditNote,
  "GET /creditnotes/{creditnote_id}": ({ org, id }) => {
    const note = org.creditNotes.get(id);
    return note
      ? envelope(200, { code: 0, message: "success", creditnote: note })
      : zohoError(404, 1002, "Credit note does not exist.");
  },
  "PUT /creditnotes/{creditnote_id}": updateCreditNote,
  "POST /creditnotes/{creditnote_id}/status/void": voidCreditNote,
  "POST /creditnotes/{creditnote_id}/invoices": applyToInvoices,
  "GET /creditnotes/{creditnote_id}/invoices": ({ org, id }) => {
    const note = org.creditNotes.get(id);
    if (!note) return zohoError(404, 1002, "Credit note does not exist.");
    const credited = (note.invoices as BooksRecord[]).map((entry) => ({
      creditnote_id: note.creditnote_id,
      creditnote_number: note.creditnote_number,
      creditnote_invoice_id: entry.creditnote_invoice_id,
      invoice_id: entry.invoice_id,
      invoice_number: entry.invoice_number,
      date: entry.date,
      credited_amount: entry.amount_applied,
    }));
    return envelope(200, { code: 0, message: "success", invoices_credited: credited });
  },
};

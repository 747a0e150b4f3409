// Credit notes (credit-notes.yml): create with Zoho's numbering and totals, list, read, apply to invoices.
import { compare } from "@/server/money";
import { envelope, matchesTextFilters, page, zohoError, type BooksCall, type BooksRoutes } from "./api";
import { documentSummary, draftDocument, type DocumentKind } from "./documents";
import { settle } from "./invoices";
import type { BooksRecord } from "./store";
import { asNumber, isZero, subtract } from "./totals";

const CREDIT_NOTE: DocumentKind = { numberField: "creditnote_number", label: "Credit note", prefix: "CN", collection: (org) => org.creditNotes };

function createCreditNote(call: BooksCall): Response {
  const base = draftDocument(call, CREDIT_NOTE);
  if (base instanceof Response) return base;
  const creditNoteId = call.org.newId();
  const note = { ...base, creditnote_id: creditNoteId, balance: base.total, status: call.body.is_draft ? "draft" : "open", invoices: [] };
  call.org.creditNotes.set(creditNoteId, note);
  return envelope(201, { code: 0, message: "The credit note has been created.", creditnote: note });
}

function applyToInvoices(call: BooksCall): Response {
  const { org, id, body } = call;
  const note = org.creditNotes.get(id);
  if (!note) return zohoError(404, 1002, "Credit note does not exist.");
  for (const entry of (body.invoices as BooksRecord[]) ?? []) {
    const invoice = org.invoices.get(String(entry.invoice_id));
    if (!invoice || invoice.customer_id !== note.customer_id) return zohoError(400, 1002, "Invoice does not exist.");
    const amount = String(entry.amount_applied);
    if (compare(amount, String(note.balance)) > 0 || compare(amount, String(invoice.balance)) > 0) return zohoError(400, 4, "The amount applied exceeds the available credit or the invoice balance.");
    settle(call, invoice, amount, "credits_applied");
    note.balance = asNumber(subtract(String(note.balance), amount));
    (note.invoices as BooksRecord[]).push({ invoice_id: invoice.invoice_id, invoice_number: invoice.invoice_number, amount_applied: Number(amount) });
  }
  if (isZero(String(note.balance))) note.status = "closed";
  return envelope(200, { code: 0, message: "Credits have been applied to the invoice(s)." });
}

export const creditNoteRoutes: BooksRoutes = {
  "GET /creditnotes": ({ org, params }) => {
    const forCustomer = (note: BooksRecord) => !params.get("customer_id") || note.customer_id === params.get("customer_id");
    const notes = [...org.creditNotes.values()].filter((note) => forCustomer(note) && matchesTextFilters(note, params, ["creditnote_number"]));
    return envelope(200, page(notes.map(documentSummary), params, "creditnotes", "created_time"));
  },
  "POST /creditnotes": createCreditNote,
  "GET /creditnotes/{creditnote_id}": ({ org, id }) => {
    const note = org.creditNotes.get(id);
    return note ? envelope(200, { code: 0, message: "success", creditnote: note }) : zohoError(404, 1002, "Credit note does not exist.");
  },
  "POST /creditnotes/{creditnote_id}/invoices": applyToInvoices,
};

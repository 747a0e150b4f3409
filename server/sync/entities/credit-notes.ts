// Credit notes, Splynx → Zoho (SPEC §6.2): as invoices, and applied once to the Zoho invoice of the invoice they credit.
import { linksFor } from "@/db/queries/sync";
import { compare } from "@/server/money";
import type { SplynxRecord } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";
import { RecordProblem, type EntityAdapter, type SyncContext } from "../entity";
import { zohoDocumentAdapter, type ZohoDocumentApi } from "./zoho-documents";

const creditNoteApi: ZohoDocumentApi = {
  entity: "credit_note",
  noun: "credit note",
  numberField: "creditnote_number",
  idField: "creditnote_id",
  create: (books, body) => books.createCreditNote(body),
  update: (books, id, body) => books.updateCreditNote(id, body),
  findByNumber: (books, number) => books.findCreditNoteByNumber(number),
  void: (books, id) => books.voidCreditNote(id),
};

/**
 * Per page: the Splynx invoice each credit note credits, that invoice's Zoho id when it is in Zoho, whether it never
 * will be (skipped), and the note's total (the credit a fresh note has to give).
 */
type Credited = Map<
  string,
  { splynxInvoiceId: string; zohoInvoiceId: string | null; invoiceSkipped: boolean; total: string }
>;
const credited = new WeakMap<SyncContext, Credited>();

async function loadCredited(context: SyncContext, notes: SplynxRecord<"creditNotes">[]) {
  const ids = notes.map((note) => note.id);
  const relations: Credited = new Map();
  if (ids.length > 0) {
    for await (const page of context.splynx.pages("invoiceRelations", {
      filter: { type: "credit_note", payer_id: ["IN", ids] },
    })) {
      for (const relation of page.records) {
        const total = notes.find((note) => note.id === relation.payer_id)?.total ?? "0";
        relations.set(String(relation.payer_id), {
          splynxInvoiceId: String(relation.invoice_id),
          zohoInvoiceId: null,
          invoiceSkipped: false,
          total,
        });
      }
    }
  }
  const invoices = await linksFor(context.db, {
    tenantId: context.tenantId,
    entity: "invoice",
    splynxIds: [...relations.values()].map((relation) => relation.splynxInvoiceId),
  });
  for (const relation of relations.values()) {
    const link = invoices.get(relation.splynxInvoiceId);
    if (link?.zohoId && link.organizationId === context.organizationId) relation.zohoInvoiceId = link.zohoId;
    relation.invoiceSkipped = link?.state === "skipped";
  }
  credited.set(context, relations);
}

/** Applies the credit to its invoice up to the invoice's balance, once: what Zoho shows applied already is not applied again. */
async function applyToInvoice(
  context: SyncContext,
  { splynxId, zohoId, resumed }: { splynxId: string; zohoId: string; resumed: boolean },
) {
  const relation = credited.get(context)?.get(splynxId);
  if (!relation?.zohoInvoiceId) return;
  // A note just created has its whole total to give; one an earlier attempt made may be applied already.
  const note = resumed ? await context.books.getCreditNote(zohoId) : null;
  if (
    note &&
    ((note.invoices as ZohoRecord[] | undefined) ?? []).some(
      (applied) => String(applied.invoice_id) === relation.zohoInvoiceId,
    )
  )
    return;
  const invoice = await context.books.getInvoice(relation.zohoInvoiceId);
  const [available, owed] = [note ? String(note.balance) : relation.total, String(invoice.balance)];
  const amount = compare(available, owed) <= 0 ? available : owed;
  if (compare(amount, "0") > 0)
    await context.books.applyCreditNote(zohoId, [
      { invoice_id: relation.zohoInvoiceId, amount_applied: Number(amount) },
    ]);
}

const adapter = zohoDocumentAdapter(creditNoteApi, "creditNotes", {
  beforePage: (context, notes) => loadCredited(context, notes as SplynxRecord<"creditNotes">[]),
  finish: applyToInvoice,
});

export const creditNotesAdapter: EntityAdapter<"creditNotes"> = {
  ...adapter,
  // Applied up to the invoice's balance: two notes crediting one invoice must each see what the other left.
  competesOn: (note, _key, context) => {
    const relation = credited.get(context)?.get(String(note.id));
    return relation ? [`invoice:${relation.splynxInvoiceId}`] : [];
  },
  prepare(note, context) {
    const relation = credited.get(context)?.get(String(note.id));
    // The invoice it credits comes first (invoices sync before credit notes), so the credit can be applied to it.
    // An invoice that is never exported (a negative total, deleted) leaves the credit with the customer.
    if (relation && !relation.zohoInvoiceId && !relation.invoiceSkipped)
      throw new RecordProblem(
        `The invoice it credits (Splynx ${relation.splynxInvoiceId}) is not in Zoho yet; this credit note waits for it.`,
      );
    return adapter.prepare(note, context);
  },
};

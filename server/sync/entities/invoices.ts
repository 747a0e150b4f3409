// Invoices, Splynx → Zoho (SPEC §6.2): the same number, lines and total to the cent, open (sent), voided when deleted.
import { linkedZohoIds } from "@/db/queries/sync";
import { compare } from "@/server/money";
import type { Invoice } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";
import { ZohoError } from "@/server/zoho/errors";
import { RecordProblem, type EntityAdapter, type SyncContext, type ZohoFacts } from "../entity";
import { closedBody, documentBody, documentEligibility, loadDocumentPage, totalGap } from "./documents";

/** Zoho refuses a number it already holds (code 1001); the invoice holding it is looked up instead. */
const numberTaken = (error: unknown) => error instanceof ZohoError && error.kind === "rejected" && (error.details.code === 1001 || /already exists/i.test(error.message));

async function adoptByNumber(context: SyncContext, payload: ZohoRecord) {
  const number = String(payload.invoice_number);
  const found = await context.books.findInvoiceByNumber(number);
  if (!found) throw new RecordProblem(`Zoho says invoice number ${number} exists, but no invoice with it can be found.`);
  const id = String(found.invoice_id);
  const held = await linkedZohoIds(context.db, { tenantId: context.tenantId, organizationId: context.organizationId, entity: "invoice", zohoIds: [id] });
  const sameCustomer = String(found.customer_id) === String(payload.customer_id);
  const sameTotal = compare(String(found.total ?? ""), String(payload.splynx_total ?? "")) === 0;
  if (held.has(id) || !sameCustomer || !sameTotal) {
    throw new RecordProblem(`Zoho invoice ${id} already holds number ${number} (customer ${String(found.customer_name ?? found.customer_id)}, total ${String(found.total)}), and it is not this invoice: renumber one of them.`);
  }
  return { zohoId: id, adopted: `Invoice number ${number} was already in Zoho with the same customer and total: linked to it.` };
}

/** The Splynx total travels beside the body so a lookup can compare it; Zoho never sees it. */
const forZoho = ({ splynx_total: _total, ...body }: ZohoRecord) => body;

export const invoicesAdapter: EntityAdapter<"invoices"> = {
  entity: "invoice",
  resource: "invoices",
  label: (invoice) => `Invoice ${invoice.number}`,
  dependsOn: { entity: "customer", ids: (invoices) => invoices.map((invoice) => String(invoice.customer_id)) },
  beforePage: (context, invoices) => loadDocumentPage(context, invoices),
  eligibility: (invoice, context) => documentEligibility(invoice, context, "invoice"),
  prepare(invoice: Invoice, context) {
    const body = documentBody(invoice, context);
    const payload = { ...body, invoice_number: invoice.number, ...(invoice.date_till ? { due_date: invoice.date_till } : {}), reference_number: `Splynx ${invoice.id}`, splynx_total: invoice.total };
    const details = { number: invoice.number, customerId: String(invoice.customer_id), date: invoice.date_created ?? "", splynxTotal: invoice.total };
    return { payload, key: { number: invoice.number }, notes: [], details };
  },
  async findSent(context, keys) {
    const ids = new Set<string>();
    for (const number of new Set(keys.map((key) => key.number!))) {
      const found = await context.books.findInvoiceByNumber(number);
      if (found) ids.add(String(found.invoice_id));
    }
    return { ids: [...ids], strong: true };
  },
  // A number Zoho already holds is found when the create is refused, so a first create costs no lookup.
  findExisting: async () => ({ ids: [], strong: true, reason: "same number" }),
  async create(context, payload) {
    let created: ZohoRecord;
    try {
      created = await context.books.createInvoice(forZoho(payload));
    } catch (error) {
      if (numberTaken(error)) return adoptByNumber(context, payload);
      throw error;
    }
    const zohoId = String(created.invoice_id);
    return { zohoId, facts: await correctTotal(context, zohoId, payload, created) };
  },
  async update(context, zohoId, payload) {
    return correctTotal(context, zohoId, payload, await context.books.updateInvoice(zohoId, forZoho(payload)));
  },
  async finish(context, zohoId) {
    if (context.settings.customers.invoicesAsDrafts) return;
    await context.books.markInvoiceSent(zohoId);
    return { zohoStatus: "sent" };
  },
  retire: async (context, zohoId) => void (await context.books.voidInvoice(zohoId)),
};

/**
 * Where Zoho's arithmetic could not be known in advance, its answer is checked and the gap closed with one more call.
 * Returns Zoho's total and status as it last answered.
 */
async function correctTotal(context: SyncContext, zohoId: string, payload: ZohoRecord, answered: ZohoRecord): Promise<ZohoFacts> {
  const gap = totalGap(String(payload.splynx_total), answered, context);
  const final = gap ? await context.books.updateInvoice(zohoId, forZoho(closedBody(payload, gap, context.settings.customers.roundingItemId))) : answered;
  return { zohoTotal: String(final.total), zohoStatus: String(final.status) };
}

// Invoices, Splynx → Zoho (SPEC §6.2): the same number, lines and total to the cent, open (sent), voided when deleted.
import type { Invoice } from "@/server/splynx/records";
import type { EntityAdapter } from "../entity";
import { zohoDocumentAdapter, type ZohoDocumentApi } from "./zoho-documents";

const invoiceApi: ZohoDocumentApi = {
  entity: "invoice",
  noun: "invoice",
  numberField: "invoice_number",
  idField: "invoice_id",
  create: (books, body) => books.createInvoice(body),
  update: (books, id, body) => books.updateInvoice(id, body),
  findByNumber: (books, number) => books.findInvoiceByNumber(number),
  void: (books, id) => books.voidInvoice(id),
};

export const invoicesAdapter: EntityAdapter<"invoices"> = zohoDocumentAdapter(invoiceApi, "invoices", {
  fields: (invoice) => ((invoice as Invoice).date_till ? { due_date: (invoice as Invoice).date_till } : {}),
  // Open (sent), so payments can be applied; a setting keeps them as drafts.
  async finish(context, { zohoId }) {
    if (context.settings.customers.invoicesAsDrafts) return;
    await context.books.markInvoiceSent(zohoId);
    return { zohoStatus: "sent" };
  },
});

// The simulator's stand-in for Zoho's web app: one record per page, readable, at the paths Books links to.
import type { ZohoStore } from "./store";

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}

const RECORD_PATH = /\/app\/(\d+)\/(contacts|invoices|creditnotes|paymentsreceived)\/(\d+)$/;

/** The record page for `/app/{organization}/{kind}/{id}`; undefined for any other path. */
export function recordPage(store: ZohoStore, path: string): Response | undefined {
  const match = RECORD_PATH.exec(path);
  if (!match) return undefined;
  const [, organizationId, kind, id] = match as unknown as [string, string, string, string];
  const org = store.organizations.get(organizationId);
  const collection =
    org &&
    { contacts: org.contacts, invoices: org.invoices, creditnotes: org.creditNotes, paymentsreceived: org.payments }[
      kind
    ];
  const record = collection?.get(id);
  if (!org || !record)
    return new Response("<h1>Not found</h1>", { status: 404, headers: { "content-type": "text/html" } });
  const title = String(
    record.contact_name ?? record.invoice_number ?? record.creditnote_number ?? record.payment_number ?? id,
  );
  const body = `<!doctype html><title>${escapeHtml(title)} · Zoho Books (simulator)</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(org.details.name)} · ${kind} · ${id}</p><pre>${escapeHtml(JSON.stringify(record, null, 2))}</pre>`;
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
}

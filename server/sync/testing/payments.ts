// Test helpers for payments: the deposit account every method maps to, and a payment someone records in Zoho itself.
import type { Db } from "@/db/client";
import { saveMappings } from "@/db/queries/mapping";
import type { ZohoBooksClient, ZohoRecord } from "@/server/zoho/books";
import { todayIn } from "../payments-import";

/** Maps every Splynx payment method (the default row) to the organization's Undeposited Funds account. */
export async function depositToUndepositedFunds(db: Db, tenantId: string, org: { accounts: Map<string, ZohoRecord> }) {
  const undeposited = [...org.accounts.values()].find((account) => account.account_name === "Undeposited Funds")!;
  await saveMappings(db, {
    tenantId,
    kind: "method_account",
    entries: [{ splynxId: "*", zohoValue: String(undeposited.account_id) }],
  });
}

/** A payment recorded in Zoho through its API, as the Books screens would, dated today and applied to the invoice. */
export const recordOnInvoice = (books: ZohoBooksClient, invoice: ZohoRecord, amount: number) =>
  books.createPayment({
    customer_id: invoice.customer_id,
    payment_mode: "cash",
    date: todayIn("UTC"),
    amount,
    invoices: [{ invoice_id: invoice.invoice_id, amount_applied: amount }],
  });

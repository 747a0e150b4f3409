// Customer payments (customer-payments.yml): record against invoices with the excess kept as credit, list, read, delete.
import { add, compare, negate } from "@/server/money";
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
import { settle } from "./invoices";
import type { BooksRecord } from "./store";
import { upsertTarget } from "./upsert";
import { asNumber, subtract } from "./totals";

/** What a payment has on each invoice, so an update can count it back as owed before it applies again. */
const appliedBy = (payment: BooksRecord | undefined, invoiceId: string) =>
  String(
    ((payment?.invoices as BooksRecord[] | undefined) ?? []).find((entry) => String(entry.invoice_id) === invoiceId)
      ?.amount_applied ?? 0,
  );

/**
 * Records a payment, or (with `existing`) replaces one: its applications are taken back and the new ones made.
 * `createdStatus`: the upsert creates with 200, the only answer its operation documents.
 */
function writePayment(call: BooksCall, existing?: BooksRecord, createdStatus = 201): Response {
  const { org, body, now } = call;
  const customer = org.contacts.get(String(body.customer_id));
  if (!customer) return zohoError(400, 1002, "Contact does not exist.");
  if (body.account_id && !org.accounts.get(String(body.account_id)))
    return zohoError(400, 1002, "Account does not exist.");
  const amount = String(body.amount);
  let applied = "0";
  const entries: BooksRecord[] = [];
  for (const entry of (body.invoices as BooksRecord[]) ?? []) {
    const invoice = org.invoices.get(String(entry.invoice_id));
    if (!invoice || invoice.customer_id !== customer.contact_id) return zohoError(400, 1002, "Invoice does not exist.");
    if (invoice.status === "draft" || invoice.status === "void")
      return zohoError(400, 4, `Payments cannot be applied to ${String(invoice.status)} invoices.`);
    const owed = add([String(invoice.balance), appliedBy(existing, String(invoice.invoice_id))], 2);
    if (compare(String(entry.amount_applied), owed) > 0)
      return zohoError(400, 4, "The amount applied exceeds the balance due on the invoice.");
    applied = add([applied, String(entry.amount_applied)], 2);
    entries.push({
      invoice_id: invoice.invoice_id,
      invoice_number: invoice.invoice_number,
      date: invoice.date,
      invoice_amount: invoice.total,
      amount_applied: Number(entry.amount_applied),
    });
  }
  if (compare(applied, amount) > 0)
    return zohoError(400, 4, "The amount applied to invoices exceeds the payment amount.");
  for (const entry of (existing?.invoices as BooksRecord[] | undefined) ?? []) {
    const invoice = org.invoices.get(String(entry.invoice_id));
    if (invoice) settle(call, invoice, negate(String(entry.amount_applied)), "payment_made");
  }
  for (const entry of entries)
    settle(call, org.invoices.get(String(entry.invoice_id))!, String(entry.amount_applied), "payment_made");
  const paymentId = existing ? String(existing.payment_id) : org.newId();
  const account = body.account_id
    ? org.accounts.get(String(body.account_id))
    : [...org.accounts.values()].find((candidate) => candidate.account_name === "Undeposited Funds");
  const stamp = zohoTimestamp(now, org.details.timeZone);
  const payment = {
    payment_id: paymentId,
    payment_number: existing?.payment_number ?? org.nextPaymentNumber(),
    customer_id: customer.contact_id,
    customer_name: customer.contact_name,
    payment_mode: body.payment_mode,
    amount: Number(amount),
    unused_amount: asNumber(subtract(amount, applied)),
    amount_refunded: 0,
    bank_charges: Number(body.bank_charges ?? 0),
    date: body.date,
    status: "success",
    reference_number: body.reference_number ?? "",
    custom_fields: body.custom_fields ?? existing?.custom_fields ?? [],
    description: body.description ?? "",
    account_id: account?.account_id ?? "",
    account_name: account?.account_name ?? "",
    invoices: entries.map((entry) => ({
      ...entry,
      balance_amount: org.invoices.get(String(entry.invoice_id))!.balance,
    })),
    invoice_numbers: entries.map((entry) => entry.invoice_number).join(","),
    currency_code: customer.currency_code,
    created_time: existing?.created_time ?? stamp,
    last_modified_time: stamp,
  };
  org.payments.set(paymentId, payment);
  return existing
    ? envelope(200, { code: 0, message: "The payment has been updated.", payment })
    : envelope(createdStatus, { code: 0, message: "The payment has been created.", payment });
}

// customer-payments.yml lists no sort_column values (its example is created_time): these are the list's own columns.
const PAYMENT_SORT_COLUMNS = ["date", "created_time", "last_modified_time", "amount", "reference_number"];

function listPayments({ org, params }: BooksCall): Response {
  const [start, end] = [params.get("date_start"), params.get("date_end")];
  const payments = [...org.payments.values()].filter(
    (payment) =>
      (!params.get("customer_id") || payment.customer_id === params.get("customer_id")) &&
      matchesTextFilters(payment, params, ["reference_number"]) &&
      (!start || String(payment.date) >= start) &&
      (!end || String(payment.date) <= end),
  );
  const sorted = sortRecords(payments, params, PAYMENT_SORT_COLUMNS, "date");
  // The OAS names the list key customer_payments; real Books and every client read customerpayments.
  return envelope(
    200,
    page(
      sorted.map(({ invoices: _invoices, ...payment }) => payment),
      params,
      "customerpayments",
      params.get("sort_column") ?? "date",
    ),
  );
}

export const customerPaymentRoutes: BooksRoutes = {
  "GET /customerpayments": listPayments,
  "POST /customerpayments": (call) => writePayment(call),
  // By a unique custom field (customer-payments.yml: update-a-payment-using-a-custom-field-value).
  "PUT /customerpayments": (call) => {
    const target = upsertTarget(call, call.org.payments.values(), "Payment does not exist.");
    return target instanceof Response ? target : writePayment(call, target ?? undefined, 200);
  },
  "PUT /customerpayments/{payment_id}": (call) => {
    const existing = call.org.payments.get(call.id);
    return existing ? writePayment(call, existing) : zohoError(404, 1002, "Payment does not exist.");
  },
  "GET /customerpayments/{payment_id}": ({ org, id }) => {
    const payment = org.payments.get(id);
    return payment
      ? envelope(200, { code: 0, message: "success", payment })
      : zohoError(404, 1002, "Payment does not exist.");
  },
  "DELETE /customerpayments/{payment_id}": (call) => {
    const payment = call.org.payments.get(call.id);
    if (!payment) return zohoError(404, 1002, "Payment does not exist.");
    for (const applied of payment.invoices as BooksRecord[]) {
      const invoice = call.org.invoices.get(String(applied.invoice_id));
      if (invoice) settle(call, invoice, negate(String(applied.amount_applied)), "payment_made");
    }
    call.org.payments.delete(call.id);
    return envelope(200, { code: 0, message: "The payment has been deleted." });
  },
};

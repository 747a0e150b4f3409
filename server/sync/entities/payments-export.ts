// Payments, Splynx → Zoho customer payments (SPEC §6.3): mode and deposit account from the mappings, the receipt as the
// reference, applied to the Zoho invoice they pay up to its balance; never a payment that came from Zoho (the loop guard).
import { listMappings } from "@/db/queries/mapping";
import { linksFor, type Link } from "@/db/queries/sync";
import { add, compare } from "@/server/money";
import { DEFAULT_ROW } from "@/server/mapping/screens";
import type { Payment } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";
import { RecordProblem, type EntityAdapter, type Eligibility, type SyncContext, type ZohoFacts } from "../entity";

type PageState = {
  customers: Map<string, Link>;
  invoices: Map<string, Link>;
  accounts: Map<string, string>;
  modes: Map<string, string>;
};
const pageStates = new WeakMap<SyncContext, PageState>();

async function loadPage(context: SyncContext, payments: Payment[]) {
  const tenantId = context.tenantId;
  const ids = (pick: (payment: Payment) => number | null | undefined) => [
    ...new Set(
      payments
        .map(pick)
        .filter((id): id is number => Boolean(id))
        .map(String),
    ),
  ];
  const [customers, invoices, mappings] = await Promise.all([
    linksFor(context.db, { tenantId, entity: "customer", splynxIds: ids((payment) => payment.customer_id) }),
    linksFor(context.db, { tenantId, entity: "invoice", splynxIds: ids((payment) => payment.invoice_id) }),
    listMappings(context.db, { tenantId }),
  ]);
  const mapped = (kind: string) =>
    new Map(mappings.filter((row) => row.kind === kind).map((row) => [row.splynxId, row.zohoValue]));
  pageStates.set(context, { customers, invoices, accounts: mapped("method_account"), modes: mapped("method_mode") });
}

const state = (context: SyncContext) => pageStates.get(context)!;
const inZoho = (link: Link | undefined, context: SyncContext) =>
  link?.zohoId && link.state === "synced" && link.organizationId === context.organizationId ? link.zohoId : null;

function paymentEligibility(payment: Payment, context: SyncContext): Eligibility {
  const own = ownEligibility(payment, context);
  if (!own.eligible) return own;
  const customer = state(context).customers.get(String(payment.customer_id));
  if (customer?.state === "skipped")
    return {
      eligible: false,
      rule: `Customer ${payment.customer_id} is not exported: ${customer.message ?? ""}`.trim(),
    };
  return { eligible: true };
}

/** The rules a payment meets on its own (the settings), which decide whether its customer and invoice are needed. */
function ownEligibility(payment: Payment, context: SyncContext): Eligibility {
  const { paymentsExport, paymentsImport, general } = context.settings;
  const method = String(payment.payment_type);
  if (!paymentsExport.enabled) return { eligible: false, rule: "Payments export is off in Settings." };
  // The loop guard: payments Ledgerlink imported from Zoho carry the accounting payment method.
  if (paymentsImport.accountingMethodId === method)
    return { eligible: false, rule: "Imported from Zoho (the accounting payment method): never exported back." };
  if (!paymentsExport.allowedMethodIds.includes(method))
    return {
      eligible: false,
      rule: `Payment method ${method} is not among the methods to export (Settings → Payments export).`,
    };
  if (general.exportFromDate && payment.date && payment.date < general.exportFromDate)
    return { eligible: false, rule: `Dated ${payment.date}, before the export-from date ${general.exportFromDate}.` };
  if (compare(payment.amount, "0") <= 0)
    return { eligible: false, rule: "Not a positive amount: refunds are not exported as payments." };
  return { eligible: true };
}

const exported = (payments: Payment[], context: SyncContext) =>
  payments.filter((payment) => ownEligibility(payment, context).eligible);

function paymentBody(payment: Payment, context: SyncContext): ZohoRecord {
  const page = state(context);
  const method = String(payment.payment_type);
  const customerId = inZoho(page.customers.get(String(payment.customer_id)), context);
  if (!customerId)
    throw new RecordProblem(`Customer ${payment.customer_id} is not in Zoho yet; this payment waits for it.`);
  const account = page.accounts.get(method) ?? page.accounts.get(DEFAULT_ROW);
  if (!account)
    throw new RecordProblem(
      `Payment method ${method} has no deposit account: map it on Mapping → Bank accounts (or set the default).`,
    );
  const mode = page.modes.get(method) ?? context.settings.paymentsExport.defaultPaymentMode;
  if (!mode)
    throw new RecordProblem(
      `Payment method ${method} has no Zoho payment mode: map it on Mapping → Payment modes (or set the default in Settings).`,
    );
  let invoiceId: string | null = null;
  if (payment.invoice_id) {
    invoiceId = inZoho(page.invoices.get(String(payment.invoice_id)), context);
    if (!invoiceId)
      throw new RecordProblem(
        `The invoice it pays (Splynx ${payment.invoice_id}) is not in Zoho yet; this payment waits for it.`,
      );
  }
  return {
    customer_id: customerId,
    payment_mode: mode,
    amount: Number(payment.amount),
    date: payment.date,
    reference_number: payment.receipt_number.slice(0, 100),
    account_id: account,
    description: `Splynx payment ${payment.id}`,
    ...(invoiceId ? { paid_invoice_id: invoiceId } : {}),
  };
}

/**
 * The part of the payment the invoice still owes goes on it; the rest stays with the customer as credit. An update
 * counts what this payment already has on the invoice (`applied`) as owed too.
 */
async function withApplication(
  context: SyncContext,
  { paid_invoice_id: invoiceId, ...body }: ZohoRecord,
  applied = "0",
): Promise<ZohoRecord> {
  if (!invoiceId) return { ...body, invoices: [] };
  const balance = add([String((await context.books.getInvoice(String(invoiceId))).balance), applied], 2);
  const amount = String(body.amount);
  const onInvoice = compare(amount, balance) <= 0 ? amount : balance;
  return {
    ...body,
    invoices: compare(onInvoice, "0") > 0 ? [{ invoice_id: invoiceId, amount_applied: Number(onInvoice) }] : [],
  };
}

/** What Records shows of Zoho's payment: its amount, status, number and the invoice it is applied to. */
function paymentFacts(payment: ZohoRecord): ZohoFacts {
  const [applied] = (payment.invoices as ZohoRecord[] | undefined) ?? [];
  return {
    zohoTotal: String(payment.amount),
    zohoStatus: String(payment.status ?? ""),
    zohoNumber: String(payment.payment_number ?? ""),
    ...(applied ? { invoiceNumber: String(applied.invoice_number ?? "") } : {}),
  };
}

const sameKey = (found: ZohoRecord, key: Record<string, string>) =>
  String(found.customer_id) === key.customer &&
  compare(String(found.amount), key.amount!) === 0 &&
  String(found.date) === key.date;

export const paymentsExportAdapter: EntityAdapter<"payments"> = {
  entity: "payment",
  resource: "payments",
  label: (payment) => `Payment ${payment.receipt_number || payment.id}`,
  // Applied up to the invoice's balance: two payments of one invoice must each see what the other left.
  competesOn: (payment) => (payment.invoice_id ? [`invoice:${payment.invoice_id}`] : []),
  dependsOn: [
    {
      entity: "customer",
      ids: (payments, context) => exported(payments, context).map((payment) => String(payment.customer_id)),
    },
    {
      entity: "invoice",
      ids: (payments, context) =>
        exported(payments, context)
          .filter((payment) => payment.invoice_id)
          .map((payment) => String(payment.invoice_id)),
    },
  ],
  beforePage: loadPage,
  eligibility: paymentEligibility,
  prepare(payment, context) {
    const payload = paymentBody(payment, context);
    const uniqueField = context.settings.paymentsExport.uniqueFieldApiName;
    if (uniqueField) payload.custom_fields = [{ api_name: uniqueField, value: String(payment.id) }];
    // Zoho chooses payment numbers, so what was sent (customer, reference, amount, date) is what finds it again.
    const key = {
      reference: String(payload.reference_number),
      customer: String(payload.customer_id),
      amount: payment.amount,
      date: payment.date ?? "",
    };
    return { payload, key, notes: [] };
  },
  details: (payment) => ({
    number: payment.receipt_number,
    customerId: String(payment.customer_id),
    date: payment.date ?? "",
    splynxTotal: payment.amount,
  }),
  async findSent(context, keys) {
    const ids = new Set<string>();
    for (const key of keys) {
      for await (const page of context.books.payments({ reference_number: key.reference, customer_id: key.customer })) {
        for (const found of page) if (sameKey(found, key)) ids.add(String(found.payment_id));
      }
    }
    return { ids: [...ids], strong: keys.every((key) => Boolean(key.reference)) };
  },
  // Payments Zoho holds already are found by what a create sent (findSent); a first create costs no lookup.
  findExisting: async () => ({ ids: [], strong: true, reason: "same reference" }),
  // With a unique field, a write the lookup missed (Zoho's search lagging) updates that payment instead of adding one.
  async create(context, payload) {
    const body = await withApplication(context, payload);
    const [unique] = (payload.custom_fields as { api_name: string; value: string }[] | undefined) ?? [];
    const created = unique
      ? await context.books.upsertPayment({ key: unique.api_name, value: unique.value }, body)
      : await context.books.createPayment(body);
    return {
      zohoId: String(created.payment_id),
      facts: paymentFacts(created),
    };
  },
  async update(context, zohoId, payload) {
    const current = await context.books.getPayment(zohoId);
    const onInvoice = ((current.invoices as ZohoRecord[] | undefined) ?? []).find(
      (entry) => String(entry.invoice_id) === String(payload.paid_invoice_id),
    );
    const updated = await context.books.updatePayment(
      zohoId,
      await withApplication(context, payload, String(onInvoice?.amount_applied ?? "0")),
    );
    return paymentFacts(updated);
  },
  // A payment deleted in Splynx is deleted in Zoho (it is gone from Splynx's list, so the sweep finds it).
  async retire(context, zohoId) {
    await context.books.deletePayment(zohoId);
    return "Deleted in Zoho.";
  },
};

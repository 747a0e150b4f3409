// The collections the Splynx simulator serves: their paths, methods, Splynx's validation messages and side effects.
import { add, compare } from "@/server/money";
import type { SplynxStore, WireRecord } from "./store";

export type Method = "GET" | "POST" | "PUT" | "DELETE";
type FieldError = { field: string; message: string };
type Resource = {
  collection: keyof Omit<SplynxStore, "apiKeys" | "tokens">;
  methods: Method[];
  validate?: (body: Record<string, unknown>, store: SplynxStore, existing?: WireRecord) => FieldError[];
  defaults?: (body: Record<string, unknown>, now: Date) => Record<string, unknown>;
  afterCreate?: (record: WireRecord, store: SplynxStore) => void;
};

const ALL: Method[] = ["GET", "POST", "PUT", "DELETE"];
const day = (now: Date) => now.toISOString().slice(0, 10);
const stamp = (now: Date) => now.toISOString().slice(0, 19).replace("T", " ");
const isBlank = (value: unknown) => value === undefined || value === null || value === "";

function requireFields(body: Record<string, unknown>, fields: [string, string][]): FieldError[] {
  return fields
    .filter(([field]) => isBlank(body[field]))
    .map(([field, label]) => ({ field, message: `${label} is required` }));
}

function customerExists(store: SplynxStore, body: Record<string, unknown>): FieldError[] {
  return !isBlank(body.customer_id) && !store.customers.get(Number(body.customer_id))
    ? [{ field: "customer_id", message: "Customer not found" }]
    : [];
}

/** A payment with `invoice_id` pays that invoice: `due` drops, and at zero it becomes paid. */
function applyPaymentToInvoice(payment: WireRecord, store: SplynxStore) {
  const invoice = payment.invoice_id ? store.invoices.get(Number(payment.invoice_id)) : undefined;
  if (!invoice) return;
  const due = add([String(invoice.due), `-${String(payment.amount)}`], 2);
  const settled = compare(due, "0") <= 0;
  Object.assign(invoice, {
    due: settled ? 0 : Number(due),
    ...(settled ? { status: "paid", payment_id: payment.id, date_payment: payment.date } : {}),
  });
  store.invoiceRelations.insert({
    customer_id: payment.customer_id,
    payer_id: payment.id,
    type: "payment",
    invoice_id: invoice.id,
    transaction_id: 0,
    amount: Number(payment.amount),
  });
}

export const RESOURCES: Record<string, Resource> = {
  "admin/customers/customer": {
    collection: "customers",
    methods: ALL,
    validate: (body, _store, existing) =>
      existing
        ? []
        : requireFields(body, [
            ["name", "Full name"],
            ["partner_id", "Partner"],
            ["location_id", "Location"],
          ]),
    defaults: (_body, now) => ({
      status: "new",
      category: "person",
      date_add: day(now),
      last_update: stamp(now),
      added_by: "api",
      additional_attributes: {},
      customer_labels: [],
    }),
  },
  "admin/finance/invoices": {
    collection: "invoices",
    methods: ALL,
    validate: (body, store, existing) =>
      existing
        ? []
        : [
            ...requireFields(body, [
              ["customer_id", "Customer ID"],
              ["number", "Number"],
              ["status", "Status"],
              ["items", "Items"],
            ]),
            ...customerExists(store, body),
          ],
  },
  "admin/finance/credit-notes": {
    collection: "creditNotes",
    methods: ALL,
    validate: (body, store, existing) =>
      existing
        ? []
        : [
            ...requireFields(body, [
              ["customer_id", "Customer ID"],
              ["number", "Number"],
              ["status", "Status"],
              ["items", "Items"],
            ]),
            ...customerExists(store, body),
          ],
  },
  "admin/finance/payments": {
    collection: "payments",
    methods: ALL,
    validate: (body, store, existing) => {
      if (existing) return [];
      const errors = [
        ...requireFields(body, [
          ["customer_id", "Customer ID"],
          ["payment_type", "Payment type"],
          ["date", "Date"],
        ]),
        ...customerExists(store, body),
      ];
      if (isBlank(body.amount) || Number(body.amount) === 0 || !Number.isFinite(Number(body.amount)))
        errors.push({ field: "amount", message: "Invalid sum, only a value greater or less than 0 is allowed!" });
      if (!isBlank(body.payment_type) && !store.paymentMethods.get(Number(body.payment_type)))
        errors.push({ field: "payment_type", message: "Payment type not found" });
      if (!isBlank(body.date) && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.date)))
        errors.push({ field: "date", message: "The format of Date is invalid." });
      const invoice = isBlank(body.invoice_id) ? undefined : store.invoices.get(Number(body.invoice_id));
      if (!isBlank(body.invoice_id) && (!invoice || invoice.customer_id !== Number(body.customer_id)))
        errors.push({ field: "invoice_id", message: "Invoice not found" });
      return errors;
    },
    defaults: (body, now) => ({
      invoice_id: null,
      credit_note_id: null,
      request_id: null,
      transaction_id: 0,
      payment_statement_id: null,
      receipt_number: "",
      comment: "",
      is_sent: "0",
      field_1: "",
      field_2: "",
      field_3: "",
      field_4: "",
      field_5: "",
      note: "",
      memo: "",
      remind_amount: body.invoice_id ? "0.0000" : `${Number(body.amount).toFixed(4)}`,
      added_by: "api",
      added_by_id: 1,
      real_create_datetime: stamp(now),
      updated_at: stamp(now),
    }),
    afterCreate: applyPaymentToInvoice,
  },
  "admin/finance/payment-methods": { collection: "paymentMethods", methods: ALL },
  "admin/finance/transaction-categories": { collection: "transactionCategories", methods: ALL },
  "admin/config/taxes": { collection: "taxes", methods: ["GET"] },
  "admin/administration/partners": { collection: "partners", methods: ALL },
  "admin/administration/locations": { collection: "locations", methods: ALL },
  "admin/finance/invoice-relations": { collection: "invoiceRelations", methods: ["GET"] },
  "admin/finance/bank-statements": {
    collection: "bankStatements",
    methods: ALL,
    validate: (body, _store, existing) => (existing ? [] : requireFields(body, [["title", "File name"]])),
    defaults: (_body, now) => ({
      date_time: stamp(now),
      handler: "",
      status: "new",
      filename_original: "",
      filename_uploaded: "",
      filename_parsed: "",
      records: 0,
      processed: 0,
      errors: 0,
      new: 0,
      canceled: 0,
      ignored: 0,
      manual_paired: 0,
      pending: 0,
      payment_type: 0,
      delimiter: "tabulator",
      pair_to_inactive_customers: "1",
    }),
  },
  "admin/finance/bank-statements-records": {
    collection: "bankStatementRecords",
    methods: ALL,
    validate: (body, store, existing) => {
      if (existing) return [];
      const errors = requireFields(body, [["bank_statements_process_id", "Payment Statement ID"]]);
      if (
        !isBlank(body.bank_statements_process_id) &&
        !store.bankStatements.get(Number(body.bank_statements_process_id))
      )
        errors.push({ field: "bank_statements_process_id", message: "Payment statement not found" });
      return errors;
    },
    defaults: (_body, now) => ({
      datetime: stamp(now),
      payment_date: day(now),
      amount: "0.0000",
      status: "new",
      pairing_1: "",
      pairing_2: "",
      pairing_3: "",
      additional_1: "",
      additional_2: "",
      additional_3: "",
      comment: "",
      customer_id: null,
      invoice_id: null,
      credit_note_id: null,
      request_id: null,
      payment_id: null,
      transaction_id: null,
    }),
    afterCreate: (record, store) => {
      const statement = store.bankStatements.get(Number(record.bank_statements_process_id));
      if (statement) statement.records = Number(statement.records) + 1;
    },
  },
};

// The Splynx records the sync reads, as zod schemas that accept every type variation real servers send.
import { z } from "zod";
import { decimal, flag, optionalDate, optionalDateTime, optionalId, splynxId, text } from "./fields";

const extra = z.record(z.string(), z.unknown()).optional().default({});

export const customerSchema = z.object({
  id: splynxId,
  login: text,
  status: z.string(),
  partner_id: splynxId,
  location_id: optionalId,
  parent_id: optionalId,
  name: z.string(),
  email: text,
  billing_email: text,
  phone: text,
  category: z.string(),
  street_1: text,
  zip_code: text,
  city: text,
  date_add: optionalDate,
  last_update: optionalDateTime,
  additional_attributes: extra.catch({}),
});

export const invoiceItemSchema = z.object({
  id: optionalId,
  pos: z.union([z.number(), z.string()]).optional(),
  description: text,
  quantity: decimal,
  unit: text,
  price: decimal,
  tax: decimal.optional().default("0"),
  tax_amount: decimal.optional(),
  tax_id: optionalId,
  period_from: optionalDate,
  period_to: optionalDate,
  categoryIdForTransaction: optionalId,
  transaction_id: optionalId,
  sub_account_id: optionalId,
});

export const invoiceSchema = z.object({
  id: splynxId,
  customer_id: splynxId,
  number: z.union([z.string(), z.number()]).transform(String),
  date_created: optionalDate,
  date_updated: optionalDate,
  date_till: optionalDate,
  date_payment: optionalDate,
  real_create_datetime: optionalDateTime,
  total: decimal,
  due: decimal,
  status: z.string(),
  type: text,
  payment_id: optionalId,
  is_sent: flag.optional(),
  note: text,
  memo: text,
  items: z.array(invoiceItemSchema).default([]),
});

export const creditNoteItemSchema = invoiceItemSchema.pick({
  id: true,
  description: true,
  quantity: true,
  unit: true,
  price: true,
  tax: true,
  tax_amount: true,
  tax_id: true,
  period_from: true,
  period_to: true,
  sub_account_id: true,
});

export const creditNoteSchema = z.object({
  id: splynxId,
  customer_id: splynxId,
  number: z.union([z.string(), z.number()]).transform(String),
  date_created: optionalDate,
  date_updated: optionalDate,
  date_payment: optionalDate,
  real_create_datetime: optionalDateTime,
  status: z.string(),
  total: decimal,
  remind_amount: decimal.optional(),
  payment_id: optionalId,
  note: text,
  is_sent: flag.optional(),
  items: z.array(creditNoteItemSchema).default([]),
});

export const paymentSchema = z.object({
  id: splynxId,
  customer_id: splynxId,
  invoice_id: optionalId,
  credit_note_id: optionalId,
  request_id: optionalId,
  transaction_id: optionalId,
  payment_statement_id: optionalId,
  payment_type: splynxId,
  receipt_number: text,
  date: optionalDate,
  amount: decimal,
  remind_amount: decimal.optional(),
  comment: text,
  note: text,
  memo: text,
  field_1: text,
  field_2: text,
  field_3: text,
  field_4: text,
  field_5: text,
  real_create_datetime: optionalDateTime,
  updated_at: optionalDateTime,
});

export const paymentMethodSchema = z.object({
  id: splynxId,
  name: z.string(),
  is_active: flag,
  accounting_bank_accounts_id: optionalId,
});

export const transactionCategorySchema = z.object({
  id: splynxId,
  name: z.string(),
  is_base: flag.optional(),
  accounting_category_id: optionalId,
});

export const taxSchema = z.object({
  id: splynxId,
  name: z.string(),
  rate: decimal.optional().default("0"),
  type: z.string().optional().default("single"),
  archived: flag.optional(),
  items: z.array(z.object({ id: splynxId, type: text })).optional(),
});

export const partnerSchema = z.object({ id: splynxId, name: z.string() });

export const paymentStatementSchema = z.object({
  id: splynxId,
  date_time: optionalDateTime,
  title: text,
  handler: text,
  payment_type: optionalId,
  status: text,
  records: z
    .union([z.number(), z.string()])
    .optional()
    .transform((value) => Number(value ?? 0)),
});

export const paymentStatementRecordSchema = z.object({
  id: splynxId,
  bank_statements_process_id: splynxId,
  datetime: optionalDateTime,
  payment_date: optionalDate,
  amount: decimal,
  status: text,
  pairing_1: text,
  pairing_2: text,
  pairing_3: text,
  additional_1: text,
  additional_2: text,
  additional_3: text,
  comment: text,
  customer_id: optionalId,
  invoice_id: optionalId,
  payment_id: optionalId,
});

/** What pays or credits an invoice: a payment or a credit note (`payer_id`) against `invoice_id`. */
export const invoiceRelationSchema = z.object({
  id: splynxId,
  customer_id: splynxId,
  payer_id: splynxId,
  type: z.string(),
  invoice_id: splynxId,
  amount: decimal,
});

/** The collections the client reads, by name: where they live and how a record is read. */
export const RESOURCES = {
  customers: { path: "admin/customers/customer", schema: customerSchema },
  invoices: { path: "admin/finance/invoices", schema: invoiceSchema },
  creditNotes: { path: "admin/finance/credit-notes", schema: creditNoteSchema },
  payments: { path: "admin/finance/payments", schema: paymentSchema },
  paymentMethods: { path: "admin/finance/payment-methods", schema: paymentMethodSchema },
  transactionCategories: { path: "admin/finance/transaction-categories", schema: transactionCategorySchema },
  taxes: { path: "admin/config/taxes", schema: taxSchema },
  partners: { path: "admin/administration/partners", schema: partnerSchema },
  paymentStatements: { path: "admin/finance/bank-statements", schema: paymentStatementSchema },
  paymentStatementRecords: { path: "admin/finance/bank-statements-records", schema: paymentStatementRecordSchema },
  invoiceRelations: { path: "admin/finance/invoice-relations", schema: invoiceRelationSchema },
} as const;

export type ResourceName = keyof typeof RESOURCES;
export type SplynxRecord<R extends ResourceName> = z.output<(typeof RESOURCES)[R]["schema"]>;
/** A record's Splynx id as links and the index key it: text. */
export const splynxIdOf = (record: unknown) => String((record as { id: number | string }).id);
export type Customer = SplynxRecord<"customers">;
export type Invoice = SplynxRecord<"invoices">;
export type CreditNote = SplynxRecord<"creditNotes">;
export type Payment = SplynxRecord<"payments">;

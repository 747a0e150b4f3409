// Both sides' documents in one shape for reconciliation: invoices, credit notes and payments as Splynx and Zoho hold them.
import type { SyncEntity } from "@/db/schema";
import { compare } from "@/server/money";
import { ownEligibility } from "@/server/sync/entities/documents";
import type { SyncContext } from "@/server/sync/entity";
import type { ResourceName } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";

export type Side = {
  id: string;
  number: string;
  customerId: string | null;
  date: string;
  total: string;
  status: string;
};
/** `expected`: the run exports it (its own rules and the settings); `imported`: it came from Zoho (the accounting method). */
export type SplynxSide = Side & { expected: boolean; imported: boolean };

export type ReconciledEntity = Extract<SyncEntity, "invoice" | "credit_note" | "payment">;
export const RECONCILED: readonly ReconciledEntity[] = ["invoice", "credit_note", "payment"];

type Kind = {
  resource: Extract<ResourceName, "invoices" | "creditNotes" | "payments">;
  zoho: { path: string; key: string; idField: string; numberField: string; totalField: string };
  splynx: (record: Record<string, unknown>, context: SyncContext) => SplynxSide;
};

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

function documentSide(record: Record<string, unknown>, context: SyncContext, noun: "invoice" | "credit note") {
  const side = {
    id: text(record.id),
    number: text(record.number),
    customerId: text(record.customer_id) || null,
    date: text(record.date_created),
    total: text(record.total),
    status: text(record.status),
  };
  const own = ownEligibility(record as Parameters<typeof ownEligibility>[0], context, noun);
  return { ...side, expected: own.eligible, imported: false };
}

/** The payment export's own rules (SPEC §6.3): the settings decide, never the customer or invoice. */
function paymentSide(record: Record<string, unknown>, context: SyncContext): SplynxSide {
  const { paymentsExport, paymentsImport, general } = context.settings;
  const method = text(record.payment_type);
  const date = text(record.date);
  const imported = paymentsImport.accountingMethodId === method;
  const expected =
    paymentsExport.enabled &&
    !imported &&
    paymentsExport.allowedMethodIds.includes(method) &&
    !(general.exportFromDate && date && date < general.exportFromDate) &&
    compare(text(record.amount), "0") > 0;
  const side = { id: text(record.id), number: text(record.receipt_number), date, total: text(record.amount) };
  return { ...side, customerId: text(record.customer_id) || null, status: "", expected, imported };
}

export const KINDS: Record<ReconciledEntity, Kind> = {
  invoice: {
    resource: "invoices",
    zoho: {
      path: "/invoices",
      key: "invoices",
      idField: "invoice_id",
      numberField: "invoice_number",
      totalField: "total",
    },
    splynx: (record, context) => documentSide(record, context, "invoice"),
  },
  credit_note: {
    resource: "creditNotes",
    zoho: {
      path: "/creditnotes",
      key: "creditnotes",
      idField: "creditnote_id",
      numberField: "creditnote_number",
      totalField: "total",
    },
    splynx: (record, context) => documentSide(record, context, "credit note"),
  },
  payment: {
    resource: "payments",
    zoho: {
      path: "/customerpayments",
      key: "customerpayments",
      idField: "payment_id",
      numberField: "reference_number",
      totalField: "amount",
    },
    splynx: paymentSide,
  },
};

export function zohoSide(entity: ReconciledEntity, row: ZohoRecord): Side {
  const { idField, numberField, totalField } = KINDS[entity].zoho;
  return {
    id: text(row[idField]),
    number: text(row[numberField]),
    customerId: text(row.customer_id) || null,
    date: text(row.date),
    total: text(row[totalField]),
    status: text(row.status),
  };
}

/** Whether the statuses tell a different story: deleted against open, void against live, paid against unpaid. */
export function statusDifference(entity: ReconciledEntity, splynx: string, zoho: string): string | null {
  if (entity === "payment") return null;
  const zohoVoid = zoho === "void";
  if (splynx === "deleted") return zohoVoid ? null : `Deleted in Splynx, ${zoho} in Zoho.`;
  if (zohoVoid) return `${splynx} in Splynx, void in Zoho.`;
  if (entity === "invoice" && (splynx === "paid") !== (zoho === "paid")) return `${splynx} in Splynx, ${zoho} in Zoho.`;
  return null;
}

// What people call each synced entity on the screens, so the Sync page, Records and the log name them alike.
import type { SyncEntity } from "@/db/schema";

export const ENTITY_NAMES: Record<SyncEntity, { noun: string; plural: string; title: string }> = {
  customer: { noun: "Customer", plural: "customers", title: "Customers" },
  invoice: { noun: "Invoice", plural: "invoices", title: "Invoices" },
  credit_note: { noun: "Credit note", plural: "credit notes", title: "Credit notes" },
  payment: { noun: "Payment", plural: "payments", title: "Payments" },
  payment_import: { noun: "Imported payment", plural: "imported payments", title: "Payments import" },
};

export const isSyncEntity = (value: string | null | undefined): value is SyncEntity =>
  value !== null && value !== undefined && Object.hasOwn(ENTITY_NAMES, value);

// What people call each synced entity on the screens, so the Sync page, Records and the log name them alike.
import type { SyncEntity } from "@/db/schema";

export const ENTITY_NAMES: Record<SyncEntity, { plural: string; title: string }> = {
  customer: { plural: "customers", title: "Customers" },
  invoice: { plural: "invoices", title: "Invoices" },
  credit_note: { plural: "credit notes", title: "Credit notes" },
  payment: { plural: "payments", title: "Payments" },
  payment_import: { plural: "imported payments", title: "Payments import" },
};

export const isSyncEntity = (value: string | null | undefined): value is SyncEntity =>
  value !== null && value !== undefined && Object.hasOwn(ENTITY_NAMES, value);

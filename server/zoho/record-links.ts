// Where each kind of record opens in Zoho Books' web app for a tenant's organization (the simulator's page in the sandbox).
import type { SyncEntity } from "@/db/schema";
import { sandboxPath } from "@/server/sandbox";
import { SANDBOX_REGION } from "./connection";
import { zohoRecordUrl, type ZohoRegion } from "./regions";

const ZOHO_KIND = {
  customer: "contacts",
  invoice: "invoices",
  credit_note: "creditnotes",
  payment: "paymentsreceived",
  payment_import: "paymentsreceived",
} as const satisfies Record<SyncEntity, string>;

/** The address a record's Zoho id is appended to, or null before an organization is chosen. */
export function zohoLinkPrefix(
  zoho: { region: string; organizationId: string | null } | undefined,
  input: { tenantSlug: string; entity: SyncEntity },
): string | null {
  if (!zoho?.organizationId) return null;
  const kind = ZOHO_KIND[input.entity];
  return zoho.region === SANDBOX_REGION
    ? `${sandboxPath(input.tenantSlug, "zoho")}/app/${zoho.organizationId}/${kind}/`
    : zohoRecordUrl(zoho.region as ZohoRegion, zoho.organizationId, kind, "");
}

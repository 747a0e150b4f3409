// What a sync needs before it can start (connections, organization, mapping data, settings), and where each is fixed.
import type { Db } from "@/db/client";
import { referenceLoadedAt } from "@/db/queries/mapping";
import { getSplynxConnection } from "@/db/queries/splynx";
import { getSettingsRow } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import type { SyncEntity } from "@/db/schema";
import { readSettings } from "./settings";

/** Why a sync can't start, and the page (under the tenant) where that is fixed. */
export type Blocker = { reason: string; fix: string; path: string };

/** Documents and payments are written with the mapped items, taxes, accounts and payment modes. */
const NEEDS_MAPPING: ReadonlySet<SyncEntity> = new Set(["invoice", "credit_note", "payment", "payment_import"]);

/** For each entity asked for, the first thing missing before it can sync; an entity that is ready has none. */
export async function syncBlockers(
  db: Db,
  input: { tenantId: string; entities: readonly SyncEntity[] },
): Promise<Partial<Record<SyncEntity, Blocker>>> {
  const [splynx, zoho, loadedAt, stored] = await Promise.all([
    getSplynxConnection(db, { tenantId: input.tenantId }),
    getZohoConnection(db, { tenantId: input.tenantId }),
    referenceLoadedAt(db, input.tenantId),
    getSettingsRow(db, input.tenantId),
  ]);
  const settings = readSettings(stored);
  const connectionBlocker = (): Blocker | undefined => {
    if (!splynx) return { reason: "Splynx is not connected.", fix: "Connect Splynx", path: "connections/splynx" };
    if (!zoho) return { reason: "Zoho Books is not connected.", fix: "Connect Zoho Books", path: "connections/zoho" };
    if (zoho.state === "needs_reconnect")
      return { reason: "Zoho Books needs reconnecting.", fix: "Reconnect Zoho Books", path: "connections/zoho" };
    if (!zoho.organizationId)
      return { reason: "No Zoho organization is chosen.", fix: "Choose the organization", path: "connections/zoho" };
    return undefined;
  };
  const entityBlocker = (entity: SyncEntity): Blocker | undefined => {
    const connections = connectionBlocker();
    if (connections) return connections;
    if (NEEDS_MAPPING.has(entity) && !loadedAt)
      return {
        reason: "The mapping data is not loaded, so categories, taxes and payment methods have nothing to map to.",
        fix: "Load and map it",
        path: "mapping",
      };
    const { paymentsImport } = settings;
    if (entity === "payment_import" && paymentsImport.enabled && !paymentsImport.accountingMethodId)
      return {
        reason: "Payments import needs the accounting payment method (the one imported payments get in Splynx).",
        fix: "Choose it in Settings",
        path: "settings",
      };
    return undefined;
  };
  return Object.fromEntries(
    input.entities.flatMap((entity) => {
      const blocker = entityBlocker(entity);
      return blocker ? [[entity, blocker]] : [];
    }),
  );
}

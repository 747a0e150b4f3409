// Everything a run needs for one tenant: both clients, the settings, and the currency new contacts get.
import type { Db } from "@/db/client";
import { listReference } from "@/db/queries/mapping";
import { getSettingsRow } from "@/db/queries/sync";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { booksClientForTenant } from "@/server/zoho/connection";
import { DomainError } from "@/server/errors";
import { getZohoConnection } from "@/db/queries/zoho";
import type { SyncContext } from "./entity";
import { readSettings } from "./settings";

/** `retry`: a person asked for the run, so failed records are tried now whatever their backoff says. */
export async function syncContextFor(
  db: Db,
  input: Pick<SyncContext, "tenantId" | "runId" | "reportProgress" | "changedSince"> &
    Partial<Pick<SyncContext, "retry" | "paymentsImportMode">>,
): Promise<SyncContext> {
  const zoho = await getZohoConnection(db, { tenantId: input.tenantId });
  if (!zoho?.organizationId) throw new DomainError("BAD_REQUEST", "Choose the Zoho organization first.");
  const settings = readSettings(await getSettingsRow(db, input.tenantId));
  const currencyCode = settings.general.currencyCode;
  const currency = currencyCode
    ? (await listReference(db, { tenantId: input.tenantId, kinds: ["zoho_currency"] })).find(
        (record) => record.name === currencyCode,
      )
    : undefined;
  return {
    db,
    tenantId: input.tenantId,
    runId: input.runId,
    retry: input.retry ?? false,
    paymentsImportMode: input.paymentsImportMode ?? "new",
    reportProgress: input.reportProgress,
    changedSince: input.changedSince,
    organizationId: zoho.organizationId,
    splynx: await splynxClientForTenant(db, input.tenantId),
    books: await booksClientForTenant(db, input.tenantId),
    settings,
    currencyId: currency?.externalId ?? null,
  };
}

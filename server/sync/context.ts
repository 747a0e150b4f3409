// Everything a run needs for one tenant: both clients, the settings, and the currency new contacts get.
import type { Db } from "@/db/client";
import { listReference } from "@/db/queries/mapping";
import { getSettingsRow } from "@/db/queries/sync";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { booksClientForTenant } from "@/server/zoho/connection";
import type { SyncContext } from "./engine";
import { readSettings } from "./settings";

export async function syncContextFor(db: Db, input: { tenantId: string; runId: string }): Promise<SyncContext> {
  const settings = readSettings(await getSettingsRow(db, input.tenantId));
  const currencyCode = settings.general.currencyCode;
  const currency = currencyCode ? (await listReference(db, { tenantId: input.tenantId, kinds: ["zoho_currency"] })).find((record) => record.name === currencyCode) : undefined;
  return {
    db,
    ...input,
    splynx: await splynxClientForTenant(db, input.tenantId),
    books: await booksClientForTenant(db, input.tenantId),
    settings,
    currencyId: currency?.externalId ?? null,
  };
}

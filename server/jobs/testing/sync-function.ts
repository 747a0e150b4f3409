// The sync-run function under @inngest/test, for a tenant connected to both sandboxes.
import { InngestTestEngine } from "@inngest/test";
import type { Db } from "@/db/client";
import { createRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import type { PaymentsImportMode, RunTrigger, SyncEntity } from "@/db/schema";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { SYNC_REQUESTED } from "../client";
import { syncRunFunctionFor } from "../sync-run";

/** A tenant connected to both sandboxes, with its settings, and runs of the sync-run function for it. */
export async function syncFunctionTenant(db: Db, values: Record<string, unknown>) {
  const syncRun = syncRunFunctionFor(async () => db);
  const { tenant, person, caller } = await sandboxTenant(db);
  await saveSettingsRow(db, { tenantId: tenant.id, values });
  const tenantId = tenant.id;
  const newRun = (
    entities: SyncEntity[],
    trigger: RunTrigger = "manual",
    paymentsImportMode: PaymentsImportMode = "new",
  ) =>
    createRun(db, {
      tenantId,
      trigger,
      requestedBy: trigger === "manual" ? person.id : null,
      entities,
      paymentsImportMode,
    });
  const execute = (run: { id: string }) => {
    const event = { name: SYNC_REQUESTED, data: { tenantId, runId: run.id } };
    return new InngestTestEngine({ function: syncRun, events: [event] }).execute();
  };
  return { tenantId, tenant, person, caller, newRun, execute };
}

// An unchanged scheduled run over a large book, read in full and then as changes only (SPEC §7, incremental reads):
// Splynx requests and wall time of each. Every record is skipped by the settings (all partners ignored), so no Zoho
// call is spent and the figures are the reading alone; a full read of a synced book also sweeps its links (not here).
// Run: node --import tsx bench/unchanged-run.ts [customers] [invoices]
import { openPglite, openPostgres, type Database } from "../db/client";
import { createRun, finishRun } from "../db/queries/runs";
import type { SyncEntity } from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { finishEntity, syncPage } from "../server/sync/engine";
import { RUN_STEP } from "../server/sync/read-ahead";
import { syncHarness } from "../server/sync/testing/harness";

const customers = Number(process.argv[2] ?? 20_000);
const invoices = Number(process.argv[3] ?? 100_000);
const PAGE_SIZE = 200;

const postgres = await startThrowawayPostgres().catch(() => null);
const database: Database = postgres ? await openPostgres(postgres.url) : await openPglite("memory://");
try {
  const settings = { general: { ignoredPartnerIds: ["1", "2", "3", "4", "5"] } };
  const harness = await syncHarness(database.db, { customers, invoices, settings });
  const tenantId = harness.tenant.id;

  /** One run of the entities in the run function's steps; `since` reads only changes after that instant. */
  async function run(since: string | null) {
    const started = performance.now();
    const requests = harness.splynx.callCount();
    const entities: SyncEntity[] = ["customer", "invoice"];
    const runRow = await createRun(database.db, { tenantId, trigger: "schedule", requestedBy: null, entities });
    const context = harness.context(runRow.id);
    if (since) context.changedSince = { customer: since, invoice: since };
    let records = 0;
    let steps = 0;
    for (const entity of entities) {
      let handled = 0;
      for (let after = 0; ; ) {
        const page = await syncPage(context, entity, { after, pageSize: PAGE_SIZE, step: RUN_STEP });
        steps++;
        handled += page.records;
        if (page.done) break;
        after = page.lastId!;
      }
      await finishEntity(context, entity, handled);
      records += handled;
    }
    await finishRun(database.db, { tenantId, runId: runRow.id, status: "succeeded" });
    const seconds = (performance.now() - started) / 1000;
    const splynxRequests = harness.splynx.callCount() - requests;
    return { records, steps, splynxRequests, seconds: Number(seconds.toFixed(1)) };
  }

  console.log(`database: ${postgres ? "PostgreSQL 15 (throwaway cluster)" : "PGlite"}; page size ${PAGE_SIZE}`);
  console.log(`Splynx: ${customers} customers, ${harness.splynx.store.invoices.all().length} invoices`);
  console.log("first run (links written):", await run(null));
  console.log("unchanged run, full read:", await run(null));
  // The seed's change dates are in the past: a read of changes since a day ago finds none.
  console.log("unchanged run, changes only:", await run(new Date(Date.now() - 24 * 60 * 60_000).toISOString()));
} finally {
  await database.close();
  postgres?.stop();
}

// An unchanged scheduled run over a large book, read in full and then as changes only (SPEC §7, incremental reads):
// Splynx requests and wall time of each. Every record is skipped by the settings (all partners ignored), so no Zoho
// call is spent and the figures are the reading alone; a full read of a synced book also sweeps its links (not here).
// Run: node --import tsx bench/unchanged-run.ts [customers] [invoices]
import { openPglite, openPostgres, type Database } from "../db/client";
import type { SyncEntity } from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { syncHarness } from "../server/sync/testing/harness";

const customers = Number(process.argv[2] ?? 20_000);
const invoices = Number(process.argv[3] ?? 100_000);
const PAGE_SIZE = 200;

const postgres = await startThrowawayPostgres().catch(() => null);
const database: Database = postgres ? await openPostgres(postgres.url) : await openPglite("memory://");
try {
  const settings = { general: { ignoredPartnerIds: ["1", "2", "3", "4", "5"] } };
  const harness = await syncHarness(database.db, { customers, invoices, settings });

  /** Customers, then invoices, in the run function's steps with their finish; `since` reads only changes after it. */
  async function run(since: string | null) {
    const started = performance.now();
    const requests = harness.splynx.callCount();
    let records = 0;
    let steps = 0;
    for (const entity of ["customer", "invoice"] as SyncEntity[]) {
      const totals = await harness.runEntity(entity, PAGE_SIZE, { finish: true, changedSince: since ?? undefined });
      if (totals.stopped) throw totals.stopped;
      records += totals.records;
      steps += totals.steps;
    }
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

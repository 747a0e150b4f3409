// Initial export of N customers through the engine, the shared limiter and PostgreSQL, against the Zoho simulator
// on a scaled clock; then the unchanged re-run.
// Run: node --import tsx bench/customer-export.ts [customers] [window ms] [limiter's margin ms: a twentieth of the window]
import { sql } from "drizzle-orm";
import { openPglite, openPostgres } from "../db/client";
import { rowsOf } from "../db/rows";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { PLAN_LIMITS } from "../server/sandbox/zoho/store";
import { syncHarness } from "../server/sync/testing/harness";

const customers = Number(process.argv[2] ?? 5000);
const windowMs = Number(process.argv[3] ?? 200);
const marginMs = Math.ceil(Number(process.argv[4] ?? windowMs / 20));
// The simulated organization's plan (5,000 calls a day, a fifth kept in reserve) would pause the run part-way: this
// measures the pace under the per-minute limit, so the plan gets a daily quota the run cannot reach.
PLAN_LIMITS.professional.daily = 10_000_000;
const postgres = await startThrowawayPostgres().catch(() => null);
const database = postgres ? await openPostgres(postgres.url) : await openPglite("memory://");

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  const harness = await syncHarness(database.db, { customers, windowMs, marginMs });
  // Each statement outside a transaction commits once: the commits are the engine's round trips to the database.
  const commits = async () =>
    postgres
      ? Number(
          (await rowsOf<{ n: string }>(database.db, sql`select sum(xact_commit) as n from pg_stat_database`))[0]!.n,
        )
      : Number.NaN;
  const commitsBefore = await commits();
  let started = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await harness.runCustomers();
  const firstSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const roundTrips = ((await commits()) - commitsBefore) / customers;
  // Zoho allows 100 calls per window: the least time these calls can take.
  const minimumSeconds = (Math.ceil(first.zohoCalls / 100) * windowMs) / 1000;
  started = performance.now();
  const second = await harness.runCustomers();
  const secondSeconds = (performance.now() - started) / 1000;
  const contacts = [...harness.zoho.store.organizations.values()][0]!.contacts.size;
  console.log(
    `database: ${postgres ? "PostgreSQL (throwaway cluster)" : "PGlite"}; Zoho window ${windowMs} ms (100 calls per window), ` +
      `limiter's margin ${marginMs} ms (it keeps 100 calls per ${windowMs + marginMs} ms)`,
  );
  console.log(
    `initial export: ${first.created} created, ${first.failed} failed, ${contacts} Zoho contacts; ${first.zohoCalls} Zoho calls = ${(first.zohoCalls / customers).toFixed(3)} per customer`,
  );
  console.log(
    `  wall ${firstSeconds.toFixed(1)} s vs theoretical minimum ${minimumSeconds.toFixed(1)} s = ${(minimumSeconds / firstSeconds).toFixed(2)} of the limit's rate; 429s seen by Zoho: ${harness.zoho.peaks.rejected429}`,
  );
  console.log(
    `  Zoho calls in flight at once at most ${harness.zoho.peaks.inFlight}; this process's CPU ` +
      `${((cpu.user + cpu.system) / 1000 / customers).toFixed(2)} ms per customer; ` +
      `${roundTrips.toFixed(1)} database commits per customer`,
  );
  console.log(
    `unchanged re-run: ${second.unchanged} unchanged, ${second.zohoCalls} Zoho calls, wall ${secondSeconds.toFixed(1)} s`,
  );
  for (const run of [first, second])
    if (run.stopped) console.log(`STOPPED part-way (${run.stopped.status}): ${run.stopped.message}`);
  console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  await database.close();
  postgres?.stop();
}

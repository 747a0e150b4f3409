// Initial export of N customers through the engine, the shared limiter and PostgreSQL, against the Zoho simulator
// on a scaled clock; then the unchanged re-run.
// Run: node --import tsx bench/customer-export.ts [customers] [window ms] [limiter's margin ms: production's share of the
// window, a sixtieth] [socket | tcp: how the engine reaches the cluster on this machine, its Unix socket unless said]
// [cold | warm: warm first exports 400 customers of another tenant, as a worker's process has run syncs before; both
// first warm the Zoho simulator by calls of its own]
import { sql } from "drizzle-orm";
import postgresClient from "postgres";
import { openPglite, openPostgres } from "../db/client";
import { rowsOf } from "../db/rows";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { PLAN_LIMITS } from "../server/sandbox/zoho/store";
import { booksSession } from "../server/sandbox/zoho/testing/books-session";
import { syncHarness } from "../server/sync/testing/harness";
import { marginFor } from "../server/zoho/limiter";
import { limitRate, percentile } from "./lib/stats";
import { clusterCpuSeconds, enableStatementStats, postmasterPid, topStatements } from "./lib/postgres-time";

const customers = Number(process.argv[2] ?? 5000);
const windowMs = Number(process.argv[3] ?? 200);
const marginMs = Number(process.argv[4] ?? marginFor(windowMs));
// The simulated organization's plan (5,000 calls a day, a fifth kept in reserve) would pause the run part-way: this
// measures the pace under the per-minute limit, so the plan gets a daily quota the run cannot reach.
PLAN_LIMITS.professional.daily = 10_000_000;
const postgres = await startThrowawayPostgres().catch(() => null);
if (postgres) await (await openPostgres(postgres.url, { max: 1 })).close();
const statementStats = postgres ? await enableStatementStats(postgres.url) : false;
const admin = postgres ? postgresClient(postgres.url, { max: 1, onnotice: () => {} }) : null;
const overTcp = process.argv[5] === "tcp";
const warm = process.argv[6] === "warm";
const database = postgres
  ? await openPostgres(overTcp ? postgres.url : postgres.socketUrl)
  : await openPglite("memory://");

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  // Zoho is a service already running: the simulator standing in for it in this process is warmed (its schema
  // validators compiled, its clocks made, its code compiled) by calls of its own that never pass through the engine.
  const zoho = await booksSession();
  for (let index = 0; index < 200; index++) await zoho.call("POST", "/contacts", { contact_name: `Warm-up ${index}` });
  await zoho.call("GET", "/contacts");
  if (warm) {
    await (await syncHarness(database.db, { customers: 400, windowMs, marginMs, seed: 9 })).runCustomers();
    // Its calls leave the organization's window (the two tenants' simulated organizations share its id).
    await new Promise((resolve) => setTimeout(resolve, 2 * (windowMs + marginMs)));
  }
  const harness = await syncHarness(database.db, { customers, windowMs, marginMs });
  // When each call reached Zoho (a hook that refuses none): how long each hundred calls took, against the window.
  const arrivals: number[] = [];
  harness.refusals.push(async () => {
    arrivals.push(performance.now());
    return null;
  });
  // Each statement outside a transaction commits once: the commits are the engine's round trips to the database.
  const commits = async () =>
    postgres
      ? Number(
          (await rowsOf<{ n: string }>(database.db, sql`select sum(xact_commit) as n from pg_stat_database`))[0]!.n,
        )
      : Number.NaN;
  const commitsBefore = await commits();
  const pgPid = admin ? await postmasterPid(admin) : null;
  if (statementStats) await admin!`select pg_stat_statements_reset()`;
  const pgCpuBefore = pgPid ? clusterCpuSeconds(pgPid) : Number.NaN;
  let started = performance.now();
  const cpuBefore = process.cpuUsage();
  const first = await harness.runCustomers();
  const firstSeconds = (performance.now() - started) / 1000;
  const firstCallMs = arrivals[0]! - started;

  const cpu = process.cpuUsage(cpuBefore);
  const roundTrips = ((await commits()) - commitsBefore) / customers;
  const pgCpu = pgPid ? clusterCpuSeconds(pgPid) - pgCpuBefore : Number.NaN;
  const top = statementStats ? await topStatements(admin!, 8) : [];
  // The share of Zoho's rate the run's calls had over its whole wall time.
  const zohoRate = limitRate(windowMs);
  const share = first.zohoCalls / firstSeconds / zohoRate;
  const spans = arrivals
    .slice(100)
    .map((arrived, index) => arrived - arrivals[index]!)
    .sort((a, b) => a - b);
  started = performance.now();
  const second = await harness.runCustomers();
  const secondSeconds = (performance.now() - started) / 1000;
  const contacts = [...harness.zoho.store.organizations.values()][0]!.contacts.size;
  console.log(
    `database: ${postgres ? `PostgreSQL (throwaway cluster, over ${overTcp ? "loopback TCP" : "its Unix socket"})` : "PGlite"}; Zoho window ${windowMs} ms (100 calls per window), ` +
      `limiter's margin ${marginMs} ms (it keeps 100 calls per ${windowMs + marginMs} ms)`,
  );
  console.log(
    `initial export: ${first.created} created, ${first.failed} failed, ${contacts} Zoho contacts; ${first.zohoCalls} Zoho calls = ${(first.zohoCalls / customers).toFixed(3)} per customer`,
  );
  console.log(
    `  wall ${firstSeconds.toFixed(2)} s: ${(first.zohoCalls / firstSeconds).toFixed(0)} calls a second against Zoho's ` +
      `${zohoRate} = ${share.toFixed(3)} of the limit's rate; 429s seen by Zoho: ${harness.zoho.peaks.rejected429}`,
  );
  console.log(
    `  a hundred calls took p50 ${percentile(spans, 0.5).toFixed(1)} ms, p90 ${percentile(spans, 0.9).toFixed(1)} ms ` +
      `(the limiter keeps them to one per ${windowMs + marginMs} ms); the first call ${firstCallMs.toFixed(0)} ms after the start`,
  );
  console.log(
    `  Zoho calls in flight at once at most ${harness.zoho.peaks.inFlight}; this process's CPU ` +
      `${((cpu.user + cpu.system) / 1000 / customers).toFixed(2)} ms per customer; ` +
      `${roundTrips.toFixed(1)} database commits per customer; PostgreSQL's CPU ${((pgCpu * 1000) / customers).toFixed(2)} ms per customer`,
  );
  for (const statement of top)
    console.log(
      `    ${statement.total.toFixed(0)} ms, ${statement.calls} calls, ${statement.mean.toFixed(3)} ms each: ${statement.query.slice(0, 100)}`,
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
  await admin?.end();
  postgres?.stop();
}

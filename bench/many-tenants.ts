// Many ISPs syncing at once at Zoho's real pace (issue 13): each tenant with its own simulated Splynx and Zoho Books
// organization (in a child process), all runs started together through the in-process dispatcher on one PostgreSQL.
// Reports the Zoho call rate as a share of tenants × 100 calls a minute, 429s, CPU and database time per call,
// event-loop lag, and the p95 of the dashboard's and the log page's tRPC queries while it runs.
// With workers > 1 the runs are started by that many worker processes (bench/lib/sync-worker-process.ts), each with
// its own pool, the tenants dealt round-robin, as a 2-core box runs two workers on one PostgreSQL; this process then
// keeps the portal probes and the measuring.
// Run: node --import tsx bench/many-tenants.ts [tenants] [customers each] [measured windows of 60 s] [workers]
import { loadavg } from "node:os";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../db/client";
import { openPostgres } from "../db/client";
import { saveSplynxConnection } from "../db/queries/splynx";
import * as schema from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { requestSync } from "../server/jobs/dispatcher";
import { sealSplynxKey, sealSplynxSecret } from "../server/splynx/credentials";
import { ZOHO_LIMITS } from "../server/zoho/limiter";
import { connectedTenant } from "../server/zoho/testing/zoho-fixture";
import {
  clusterCpuSeconds,
  databaseActivity,
  enableStatementStats,
  postmasterPid,
  topStatements,
} from "./lib/postgres-time";
import { type EngineReport, enginePool, startEngineMeter } from "./lib/engine-meter";
import { organizationIdOf, splynxKeyOf, startTenantSimulators, type SimulatorStats } from "./lib/simulators";
import { portalProbe } from "./lib/portal-probe";
import { p50p95 } from "./lib/stats";
import { type RunRequest, startSyncWorkers } from "./lib/sync-workers";

// The app's environment in memory: encryption keys generated for this process, nothing written beside the tree.
process.env.PGLITE_DIR ??= "memory://";
const tenantCount = Number(process.argv[2] ?? 200);
const customers = Number(process.argv[3] ?? 400);
const windows = Number(process.argv[4] ?? 3);
const workerCount = Number(process.argv[5] ?? 1);
const WINDOW_MS = ZOHO_LIMITS.windowMs;
const PER_WINDOW = ZOHO_LIMITS.perWindow;
const PORTAL_EVERY_MS = 2_000;

const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/many-tenants.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();
const statementStats = await enableStatementStats(cluster.url);
const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
// The tenants are connected through it, and with one worker this process's runs share it.
const engine = enginePool(cluster.url);
const db = engine.db;
// The portal's own pool, as a web process has: its queries wait on PostgreSQL, not behind the runs' in this process.
const webClient = postgres(cluster.url, { max: 4, onnotice: () => {} });
const webDb = drizzle(webClient, { schema }) as unknown as Db;
const simulators = await startTenantSimulators({ tenants: tenantCount, customers, windowMs: WINDOW_MS });
const syncWorkers = workerCount > 1 ? await startSyncWorkers(workerCount, cluster.url) : undefined;

let peakRss = 0;
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);

/** A tenant connected as an admin would leave it: its Splynx, its Zoho organization, default settings. */
async function connectTenant(index: number) {
  const { tenant } = await connectedTenant(db, simulators.zohoUrlOf(index));
  const organizationId = organizationIdOf(index);
  await db.update(schema.zohoConnections).set({ organizationId }).where(eq(schema.zohoConnections.tenantId, tenant.id));
  const baseUrl = simulators.splynxUrlOf(index);
  const { key, secret } = splynxKeyOf(index);
  await saveSplynxConnection(db, {
    tenantId: tenant.id,
    baseUrl,
    authMode: "signature",
    apiKeySealed: sealSplynxKey(tenant.id, key),
    apiSecretSealed: sealSplynxSecret(tenant.id, baseUrl, secret),
  });
  return tenant;
}

const portal = portalProbe(webDb);

/** Every tenant's customer export, all asked for at once as a scheduler's tick would: here, or by the workers. */
async function requestRuns(runs: RunRequest[]) {
  const started = performance.now();
  if (syncWorkers) {
    const seconds = (await syncWorkers.requestRuns(runs)).map((each) => each.toFixed(1));
    console.log(`${tenantCount} runs requested by ${workerCount} workers in ${seconds.join(", ")} s`);
    return;
  }
  // Each start's insert queues before the runs' own statements pile up.
  await Promise.all(runs.map((run) => requestSync(db, { ...run, trigger: "manual", entities: ["customer"] })));
  console.log(`${tenantCount} runs requested in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const callsBetween = (stats: SimulatorStats, from: number, to: number) =>
  Object.entries(stats.perSecond)
    .filter(([second]) => Number(second) * 1000 >= from && Number(second) * 1000 < to)
    .reduce((sum, [, calls]) => sum + calls, 0);

try {
  const started = performance.now();
  const tenants: Awaited<ReturnType<typeof connectTenant>>[] = [];
  for (let index = 0; index < tenantCount; index++) tenants.push(await connectTenant(index));
  const owners = await db
    .select({ tenantId: schema.memberships.tenantId, id: schema.people.id, email: schema.people.email })
    .from(schema.memberships)
    .innerJoin(schema.people, eq(schema.people.id, schema.memberships.personId));
  const ownerOf = new Map(owners.map((owner) => [owner.tenantId, owner]));
  console.log(
    `${tenantCount} tenants × ${customers} Splynx customers connected in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `pg_stat_statements ${statementStats ? "on" : "unavailable"}; load average at start ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
  );

  // The measured span starts as the runs are asked for.
  const pgPid = await postmasterPid(admin);
  if (statementStats) await admin`select pg_stat_statements_reset()`;
  const before = {
    at: Date.now(),
    simulators: await simulators.stats(),
    postgresCpu: clusterCpuSeconds(pgPid),
    database: await databaseActivity(admin),
  };
  const endOwnSpan = startEngineMeter(engine.statements);
  await requestRuns(tenants.map((tenant) => ({ tenantId: tenant.id, requestedBy: ownerOf.get(tenant.id)!.id })));

  const end = before.at + windows * WINDOW_MS;
  const loads: number[] = [];
  for (let round = 0; Date.now() < end; round++) {
    const pause = new Promise((resolve) => setTimeout(resolve, PORTAL_EVERY_MS));
    const tenant = tenants[(round * 37) % tenants.length]!;
    await portal.load(tenant.slug, ownerOf.get(tenant.id)!);
    if (round % 5 === 0) loads.push(loadavg()[0]!);
    await pause;
  }

  const own = endOwnSpan();
  const workerReports = syncWorkers ? await syncWorkers.reports() : [];
  const engines: EngineReport[] = syncWorkers ? workerReports : [own];
  const after = {
    simulators: await simulators.stats(),
    postgresCpu: clusterCpuSeconds(pgPid),
    database: await databaseActivity(admin),
  };
  const calls = callsBetween(after.simulators, before.at, end);
  const perWindow = Array.from({ length: windows }, (_, index) =>
    callsBetween(after.simulators, before.at + index * WINDOW_MS, before.at + (index + 1) * WINDOW_MS),
  );
  const allowance = tenantCount * PER_WINDOW;
  const perTenant = after.simulators.perTenant.map((total, index) => total - before.simulators.perTenant[index]!);
  const ms = (seconds: number) => ((seconds * 1000) / calls).toFixed(2);
  const spanSeconds = (windows * WINDOW_MS) / 1000;
  const ofACore = (seconds: number) => `${((seconds / spanSeconds) * 100).toFixed(0)} %`;
  const engineCpu = engines.reduce((sum, report) => sum + report.cpuSeconds, 0);
  const simulatorCpu =
    (after.simulators.cpu.user +
      after.simulators.cpu.system -
      before.simulators.cpu.user -
      before.simulators.cpu.system) /
    1e6;
  const postgresCpu = after.postgresCpu - before.postgresCpu;

  console.log(`\nZoho calls over ${windows} windows of ${WINDOW_MS / 1000} s: ${calls}`);
  console.log(
    `  per window: ${perWindow.map((count) => `${count} (${(count / allowance).toFixed(3)})`).join(", ")} of ${allowance}`,
  );
  console.log(`  share of ${tenantCount} × ${PER_WINDOW} a minute: ${(calls / (allowance * windows)).toFixed(3)}`);
  console.log(
    `  per tenant over the span: min ${Math.min(...perTenant)}, max ${Math.max(...perTenant)}; ` +
      `429s ${after.simulators.rejected429 - before.simulators.rejected429}; ` +
      `busiest window of one organization ${after.simulators.busiestWindow}`,
  );
  const engineShares = engines.map((report) => ofACore(report.cpuSeconds)).join(", ");
  console.log(
    (syncWorkers
      ? `CPU per call: engine ${ms(engineCpu)} ms over ${workerCount} workers (${engineShares} of a core), ` +
        `this process (portal, measuring) ${ms(own.cpuSeconds)} ms (${ofACore(own.cpuSeconds)}), `
      : `CPU per call: engine ${ms(engineCpu)} ms (${engineShares} of a core), `) +
      `simulators ${ms(simulatorCpu)} ms (${ofACore(simulatorCpu)}), ` +
      `PostgreSQL ${ms(postgresCpu)} ms (${ofACore(postgresCpu)})`,
  );
  const activeSeconds = (after.database.active - before.database.active) / 1000;
  const statements = engines.reduce((sum, report) => sum + report.statements, 0);
  console.log(
    `database per call: ${(statements / calls).toFixed(1)} statements, ` +
      `${ms(activeSeconds)} ms in statements (pg_stat_database.active_time), ` +
      `${((after.database.commits - before.database.commits) / calls).toFixed(1)} commits`,
  );
  if (statementStats) {
    console.log("top statements by total time (pg_stat_statements):");
    for (const statement of await topStatements(admin, 6))
      console.log(
        `  ${statement.total.toFixed(0)} ms, ${statement.calls} calls, ${statement.mean.toFixed(3)} ms each: ` +
          statement.query.slice(0, 110),
      );
  }
  const delay = ({ eventLoopMs: lag }: EngineReport) =>
    `p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(0)} ms`;
  console.log(
    (syncWorkers
      ? `event-loop delay: ${workerReports.map((one, index) => `worker ${index + 1} ${delay(one)}`).join("; ")}; ` +
        `this process ${delay(own)}; `
      : `event-loop delay (this process): ${delay(own)}; `) +
      `simulators' p99 ${after.simulators.eventLoopMs.p99.toFixed(1)} ms`,
  );
  console.log("portal while it ran (ms):");
  for (const [label, times] of Object.entries(portal.times))
    console.log(`  ${label}: ${JSON.stringify(p50p95(times))} over ${times.length} loads`);
  const outcomes = await db.execute(sql`select action, count(*)::int as records from sync_run_entries group by action`);
  console.log(`entries written: ${JSON.stringify(outcomes)}`);
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
  const workersRss = workerReports.map((report, index) => `worker ${index + 1} ${mib(report.peakRss)}, `).join("");
  console.log(
    `peak RSS: this process ${mib(peakRss)}, ${workersRss}simulators ${mib(after.simulators.rss)}; ` +
      `load average (1 min) while it ran: ${loads.map((load) => load.toFixed(1)).join(" ")}`,
  );
} finally {
  // The runs are still going: everything stops here at once, before any of them notices the database gone.
  clearInterval(rssSampler);
  syncWorkers?.stop();
  simulators.stop();
  cluster.stop();
  process.exit(0);
}

// Many ISPs syncing at once at Zoho's real pace (issue 13): each tenant with its own simulated Splynx and Zoho Books
// organization (in a child process), all runs started together through the in-process dispatcher on one PostgreSQL.
// Reports the Zoho call rate as a share of tenants × 100 calls a minute, 429s, CPU and database time per call,
// event-loop lag, and the p95 of the dashboard's and the log page's tRPC queries while it runs.
// Run: node --import tsx bench/many-tenants.ts [tenants] [customers each] [measured windows of 60 s]
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../db/client";
import { openPostgres } from "../db/client";
import { saveSplynxConnection } from "../db/queries/splynx";
import * as schema from "../db/schema";
import { callerFor } from "../db/testing/fixtures";
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
import { organizationIdOf, splynxKeyOf, startTenantSimulators, type SimulatorStats } from "./lib/simulators";
import { p50p95 } from "./lib/stats";

// The app's environment in memory: encryption keys generated for this process, nothing written beside the tree.
process.env.PGLITE_DIR ??= "memory://";
const tenantCount = Number(process.argv[2] ?? 200);
const customers = Number(process.argv[3] ?? 400);
const windows = Number(process.argv[4] ?? 3);
const WINDOW_MS = ZOHO_LIMITS.windowMs;
const PER_WINDOW = ZOHO_LIMITS.perWindow;
const PORTAL_EVERY_MS = 2_000;

const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/many-tenants.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();
const statementStats = await enableStatementStats(cluster.url);
const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
let statements = 0;
// A pool like a worker's; the runs share it as the in-process dispatcher's runs share the app's.
const client = postgres(cluster.url, { max: 20, onnotice: () => {}, debug: () => statements++ });
const db = drizzle(client, { schema }) as unknown as Db;
// The portal's own pool, as a web process has: its queries wait on PostgreSQL, not behind the runs' in this process.
const webClient = postgres(cluster.url, { max: 4, onnotice: () => {} });
const webDb = drizzle(webClient, { schema }) as unknown as Db;
const simulators = await startTenantSimulators({ tenants: tenantCount, customers, windowMs: WINDOW_MS });

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

type Portal = Record<string, number[]>;
const portal: Portal = {};
const timed = async <T>(label: string, call: () => Promise<T>) => {
  const started = performance.now();
  const result = await call();
  portal[label] = [...(portal[label] ?? []), performance.now() - started];
  return result;
};

/** The dashboard's queries and the log page's, as the pages send them (each page's at once), for one tenant. */
async function loadPortal(tenantSlug: string, ownerId: string, ownerEmail: string) {
  const caller = callerFor(webDb, { id: ownerId, email: ownerEmail, name: "owner" });
  await timed("dashboard page", () =>
    Promise.all([
      timed("sync.current", () => caller.sync.current({ tenantSlug })),
      timed("tenants.current", () => caller.tenants.current({ tenantSlug })),
      timed("audit.list", () => caller.audit.list({ tenantSlug, limit: 8 })),
      timed("mapping.checklist", () => caller.mapping.checklist({ tenantSlug })),
      timed("mapping.setup", () => caller.mapping.setup({ tenantSlug })),
      timed("sync.overview", () => caller.sync.overview({ tenantSlug })),
    ]),
  );
  const runs = await timed("log page: sync.runs", () => caller.sync.runs({ tenantSlug, limit: 25 }));
  const runId = runs.runs[0]!.id;
  await timed("log page: sync.run + sync.entries", () =>
    Promise.all([caller.sync.run({ tenantSlug, runId }), caller.sync.entries({ tenantSlug, runId, limit: 100 })]),
  );
}

const callsBetween = (stats: SimulatorStats, from: number, to: number) =>
  Object.entries(stats.perSecond)
    .filter(([second]) => Number(second) * 1000 >= from && Number(second) * 1000 < to)
    .reduce((sum, [, calls]) => sum + calls, 0);

try {
  let started = performance.now();
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
    cpu: process.cpuUsage(),
    simulators: await simulators.stats(),
    postgresCpu: clusterCpuSeconds(pgPid),
    database: await databaseActivity(admin),
    statements,
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  started = performance.now();
  // All at once, as a scheduler's tick would: each start's insert queues before the runs' own statements pile up.
  await Promise.all(
    tenants.map((tenant) =>
      requestSync(db, {
        tenantId: tenant.id,
        trigger: "manual",
        requestedBy: ownerOf.get(tenant.id)!.id,
        entities: ["customer"],
      }),
    ),
  );
  console.log(`${tenantCount} runs requested in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const end = before.at + windows * WINDOW_MS;
  const loads: number[] = [];
  for (let round = 0; Date.now() < end; round++) {
    const pause = new Promise((resolve) => setTimeout(resolve, PORTAL_EVERY_MS));
    const tenant = tenants[(round * 37) % tenants.length]!;
    const owner = ownerOf.get(tenant.id)!;
    await loadPortal(tenant.slug, owner.id, owner.email);
    if (round % 5 === 0) loads.push(loadavg()[0]!);
    await pause;
  }
  loop.disable();

  const after = {
    cpu: process.cpuUsage(before.cpu),
    simulators: await simulators.stats(),
    postgresCpu: clusterCpuSeconds(pgPid),
    database: await databaseActivity(admin),
    statements,
  };
  const calls = callsBetween(after.simulators, before.at, end);
  const perWindow = Array.from({ length: windows }, (_, index) =>
    callsBetween(after.simulators, before.at + index * WINDOW_MS, before.at + (index + 1) * WINDOW_MS),
  );
  const allowance = tenantCount * PER_WINDOW;
  const perTenant = after.simulators.perTenant.map((total, index) => total - before.simulators.perTenant[index]!);
  const ms = (seconds: number) => ((seconds * 1000) / calls).toFixed(2);
  const engineCpu = (after.cpu.user + after.cpu.system) / 1e6;
  const simulatorCpu =
    (after.simulators.cpu.user +
      after.simulators.cpu.system -
      before.simulators.cpu.user -
      before.simulators.cpu.system) /
    1e6;
  const postgresCpu = after.postgresCpu - before.postgresCpu;
  const spanSeconds = (windows * WINDOW_MS) / 1000;

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
  console.log(
    `CPU per call: engine ${ms(engineCpu)} ms (${((engineCpu / spanSeconds) * 100).toFixed(0)} % of a core), ` +
      `simulators ${ms(simulatorCpu)} ms (${((simulatorCpu / spanSeconds) * 100).toFixed(0)} %), ` +
      `PostgreSQL ${ms(postgresCpu)} ms (${((postgresCpu / spanSeconds) * 100).toFixed(0)} %)`,
  );
  const activeSeconds = (after.database.active - before.database.active) / 1000;
  console.log(
    `database per call: ${((after.statements - before.statements) / calls).toFixed(1)} statements, ` +
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
  const lag = (share: number) => (loop.percentile(share) / 1e6).toFixed(1);
  console.log(
    `event-loop delay (this process): p50 ${lag(50)} ms, p99 ${lag(99)} ms, max ${(loop.max / 1e6).toFixed(0)} ms; ` +
      `simulators' p99 ${after.simulators.eventLoopMs.p99.toFixed(1)} ms`,
  );
  console.log("portal while it ran (ms):");
  for (const [label, times] of Object.entries(portal))
    console.log(`  ${label}: ${JSON.stringify(p50p95(times))} over ${times.length} loads`);
  const outcomes = await db.execute(sql`select action, count(*)::int as records from sync_run_entries group by action`);
  console.log(`entries written: ${JSON.stringify(outcomes)}`);
  console.log(
    `peak RSS: this process ${(peakRss / 1048576).toFixed(0)} MiB, simulators ${(after.simulators.rss / 1048576).toFixed(0)} MiB; ` +
      `load average (1 min) while it ran: ${loads.map((load) => load.toFixed(1)).join(" ")}`,
  );
} finally {
  // The runs are still going: everything stops here at once, before any of them notices the database gone.
  clearInterval(rssSampler);
  simulators.stop();
  cluster.stop();
  process.exit(0);
}

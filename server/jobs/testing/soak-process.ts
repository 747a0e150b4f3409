// One process of the multi-process soak test: a "web" or a "worker" on the shared PostgreSQL, calling Zoho through the
// shared limiter with the tenant's stored token, Splynx with the database's nonces, and (workers) the tenant's run.
// Usage: node --import tsx server/jobs/testing/soak-process.ts '<SoakConfig as JSON>'; prints one JSON SoakReport line.
import { and, count, eq, ne } from "drizzle-orm";
import { openPostgres } from "@/db/client";
import { claimRun, createRun, finishRun } from "@/db/queries/runs";
import { getSettingsRow } from "@/db/queries/sync";
import { syncLinks } from "@/db/schema";
import { splynxClient } from "@/server/splynx/connect";
import { syncPage } from "@/server/sync/engine";
import type { SyncContext } from "@/server/sync/entity";
import { readSettings } from "@/server/sync/settings";
import { ZohoBooksClient } from "@/server/zoho/books";
import { ZohoLimiter } from "@/server/zoho/limiter";
import { accessToken } from "@/server/zoho/tokens";

export type SoakConfig = {
  role: "web" | "worker";
  name: string;
  databaseUrl: string;
  zohoUrl: string;
  organizationId: string;
  app: { clientId: string; clientSecret: string };
  splynx: { url: string; key: string; secret: string };
  /** The run's own Splynx key, apart from the hammered one. */
  runSplynxKey: { key: string; secret: string };
  tenantId: string;
  runId: string;
  customers: number;
  zohoCalls: number;
  splynxCalls: number;
  policy: { perWindow: number; windowMs: number; marginMs: number; concurrency: number; leaseMs: number };
  claimMs: number;
  /** Workers: SIGKILL right after this many contacts were created in Zoho, before their links are written. */
  dieAfterCreates?: number;
  /** The organization the run writes to, apart from the one hammered, so a death mid-call blurs no exact count. */
  runOrganizationId: string;
  /** Workers: start on the run once this many of its records are claimed, so the other worker is on it already. */
  startAfterClaims: number;
  deadlineMs: number;
};

export type SoakReport = {
  name: string;
  zohoDone: number;
  splynxDone: number;
  failures: string[];
  /** Workers: whether the run was theirs to claim, and the passes until every customer was synced. */
  runClaimed?: boolean;
  passes?: number;
  /** Web: what starting a second run for the tenant answered while the first one was held. */
  secondRun?: string;
  timedOut: boolean;
  seconds: number;
};

const config = JSON.parse(process.argv[2]!) as SoakConfig;
const started = performance.now();
const report: SoakReport = { name: config.name, zohoDone: 0, splynxDone: 0, failures: [], timedOut: false, seconds: 0 };
const print = () => console.log(JSON.stringify({ ...report, seconds: (performance.now() - started) / 1000 }));
// Bounded: past the deadline the process reports what it did, so the test fails on figures rather than hangs.
setTimeout(() => {
  report.timedOut = true;
  print();
  process.exit(0);
}, config.deadlineMs).unref();

const database = await openPostgres(config.databaseUrl, { max: 6 });
const { db } = database;
const limiter = new ZohoLimiter(db, config.policy);
const tokenContext = { db, tenantId: config.tenantId, appFor: () => config.app, fetchFor: () => fetch };
const books = (organizationId: string, fetchImpl: typeof fetch = fetch) =>
  new ZohoBooksClient({
    apiDomain: config.zohoUrl,
    organizationId,
    accessToken: (options) => accessToken(tokenContext, options),
    limiter,
    fetch: fetchImpl,
    backoffMs: 5,
    rateLimitPauseMs: config.policy.windowMs,
    timeoutMs: 10_000,
  });
const splynxWith = (key: { key: string; secret: string }) =>
  splynxClient(db, {
    tenantId: config.tenantId,
    baseUrl: config.splynx.url,
    authMode: "signature",
    apiKey: key.key,
    apiSecret: key.secret,
  });
const splynx = splynxWith(config.splynx);
// A database error's own words are in its cause; the query text around them says little.
const failed = (what: string) => (error: Error) =>
  void report.failures.push(`${what}: ${error.cause instanceof Error ? error.cause.message : error.message}`);

/** Zoho reads from three callers at once, each call marked with an id so the simulator's side can count calls. */
async function hammerZoho() {
  const client = books(config.organizationId);
  let next = 0;
  const caller = async () => {
    while (next < config.zohoCalls) {
      const id = `${config.name}-${next++}`;
      await client
        .request({ method: "GET", path: "/settings/currencies", headers: { "X-Call-Id": id } })
        .then(() => report.zohoDone++, failed(id));
    }
  };
  await Promise.all([caller(), caller(), caller()]);
}

/** Splynx reads from two callers at once, all signed with the one API key every process shares. */
async function hammerSplynx() {
  let next = 0;
  const caller = async () => {
    while (next < config.splynxCalls) {
      const id = 1 + (next++ % config.customers);
      await splynx.get("customers", id).then(() => report.splynxDone++, failed(`Splynx customer ${id}`));
    }
  };
  await Promise.all([caller(), caller()]);
}

/** Zoho's fetch for the run: counts contacts created and, when told to, dies once the n-th create is answered. */
function runFetch(): typeof fetch {
  let created = 0;
  return async (input, init) => {
    const response = await fetch(input, init);
    const isCreate = init?.method === "POST" && new URL(String(input)).pathname.endsWith("/contacts");
    if (isCreate && response.ok && ++created === config.dieAfterCreates) process.kill(process.pid, "SIGKILL");
    return response;
  };
}

/** The run's customers in this state or not (settled: synced, skipped or failed, none pending or held). */
const customerLinks = async (settled: boolean) => {
  const state = settled ? ne(syncLinks.state, "pending") : undefined;
  const [row] = await db
    .select({ links: count() })
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, config.tenantId), eq(syncLinks.entity, "customer"), state));
  return row!.links;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The run as a redelivered event makes a worker work it: claimed, then its pages, again after a claim's lifetime
 * while another attempt still holds records, until every customer is settled; then ended as the run function ends it.
 */
async function workRun() {
  const { tenantId, runId } = config;
  while ((await customerLinks(false)) < config.startAfterClaims) await pause(20);
  report.runClaimed = (await claimRun(db, { tenantId, runId })) !== null;
  if (!report.runClaimed) return;
  const context: SyncContext = {
    db,
    tenantId,
    runId,
    splynx: splynxWith(config.runSplynxKey),
    books: books(config.runOrganizationId, runFetch()),
    settings: readSettings(await getSettingsRow(db, tenantId)),
    organizationId: config.runOrganizationId,
    currencyId: null,
    retry: false,
    paymentsImportMode: "new",
    claimMs: config.claimMs,
  };
  for (report.passes = 1; report.passes <= 20; report.passes++) {
    for (let after = 0; ; ) {
      const page = await syncPage(context, "customer", { after, pageSize: 8 });
      if (page.done) break;
      after = page.lastId!;
    }
    if ((await customerLinks(true)) === config.customers) break;
    await pause(config.claimMs);
  }
  await finishRun(db, { tenantId, runId, status: "succeeded" });
}

/** A person clicking "sync" in the web while the run is held: refused, never a second run. */
async function startSecondRun() {
  const input = {
    tenantId: config.tenantId,
    trigger: "manual" as const,
    requestedBy: null,
    entities: ["customer" as const],
  };
  report.secondRun = await createRun(db, input).then(
    (run) => `started ${run.id}`,
    (error: Error) => error.message,
  );
}

await Promise.all([
  hammerZoho(),
  hammerSplynx(),
  config.role === "worker" ? workRun().catch(failed("run")) : startSecondRun(),
]);
print();
await limiter.settle();
await database.close();
process.exit(0);

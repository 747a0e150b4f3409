// Initial export of N invoices, then their credit notes, through the engine, the shared limiter and PostgreSQL, against
// the Zoho simulator on a scaled clock; customers are exported first and the suggested mappings accepted, as an admin
// would. Then the unchanged re-runs. Zoho calls are counted by path, SQL statements by verb and table.
// Run: node --import tsx bench/invoice-export.ts [invoices] [window ms] [customers] [item_level | entity_level]
import { loadavg } from "node:os";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgresClient from "postgres";
import { openPglite, openPostgres, type Database, type Db } from "../db/client";
import * as schema from "../db/schema";
import { syncLinks, type SyncEntity } from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { PLAN_LIMITS } from "../server/sandbox/zoho/store";
import { limitRate } from "./lib/stats";
import { ORGANIZATION, syncHarness } from "../server/sync/testing/harness";

const invoices = Number(process.argv[2] ?? 20_000);
const windowMs = Number(process.argv[3] ?? 200);
// About ten invoices per customer: monthly billing over the 18 months the seed dates invoices in.
const customers = Number(process.argv[4] ?? Math.ceil(invoices / 10));
// The organization's tax rounding; Zoho's organization answer does not name it, so the engine learns it from answers.
const taxRounding = process.argv[5] === "entity_level" ? "entity_level" : "item_level";
const PAGE_SIZE = 200;
// 20,000 invoices take 40,000 calls, more than any Zoho plan's daily quota (10,000 at most): this measures the pace
// under the per-minute limit, so the simulated organization's plan gets a quota the run cannot reach.
PLAN_LIMITS.professional.daily = 10_000_000;

type Counts = Map<string, number>;
const count = (counts: Counts, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const diff = (after: Counts, before: Counts): Counts =>
  new Map([...after].map(([key, value]) => [key, value - (before.get(key) ?? 0)] as const).filter(([, n]) => n > 0));
const sum = (counts: Counts) => [...counts.values()].reduce((total, value) => total + value, 0);
const listed = (counts: Counts) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => `${key} ${value}`)
    .join(", ") || "none";

/** SQL statements sent, by verb and first table named: the database round trips. */
const statements: Counts = new Map();
function countStatement(query: string) {
  const text = query.trim().replace(/\s+/g, " ").toLowerCase();
  const verb = /^(\w+)/.exec(text)?.[1] ?? "?";
  const table = /\b(?:from|into|update)\s+"?(\w+)"?/.exec(text)?.[1];
  count(statements, `${verb} ${table ?? text.slice(verb.length + 1, verb.length + 31)}`.trim());
}

async function openDatabase(): Promise<{ database: Database; engine: string; stop?: () => void }> {
  const postgres = await startThrowawayPostgres().catch(() => null);
  if (!postgres) return { database: await openPglite("memory://"), engine: "PGlite (statements not counted)" };
  // Migrated as the app does it, then opened as openPostgres does, with a hook that counts each statement.
  await (await openPostgres(postgres.url)).close();
  const debug = (_connection: number, query: string) => countStatement(query);
  const client = postgresClient(postgres.url, { max: 10, onnotice: () => {}, debug });
  const database = { db: drizzle(client, { schema }) as unknown as Db, close: () => client.end() };
  return { database, engine: "PostgreSQL 15 (throwaway cluster)", stop: () => postgres.stop() };
}

const { database, engine, stop } = await openDatabase();
const db = database.db;
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
// Others share the machine: the 1-minute load average, sampled through the run, says how much.
const loads: number[] = [];
const loadSampler = setInterval(() => loads.push(loadavg()[0]!), 5_000);

try {
  const harness = await syncHarness(db, { customers, invoices, windowMs });
  harness.zoho.setPreferences(ORGANIZATION, { taxRounding });
  const tenantId = harness.tenant.id;

  const failures = new Map<SyncEntity, string[]>();
  async function failedMessages(entity: SyncEntity) {
    const failed = and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, entity), eq(syncLinks.state, "failed"));
    const rows = await db.select({ label: syncLinks.label, message: syncLinks.message }).from(syncLinks).where(failed);
    return rows.map((row) => `${row.label}: ${row.message}`);
  }

  /** A whole run of one entity as the run function does it (the harness's): its steps, then the entity's finish. */
  async function runEntity(entity: SyncEntity) {
    const { runId: _, stopped, ...totals } = await harness.runEntity(entity, PAGE_SIZE, { finish: true });
    if (stopped) throw stopped;
    if (totals.failed > 0) failures.set(entity, await failedMessages(entity));
    return totals;
  }

  /** Runs a step and measures it: wall and CPU time, Zoho calls by path, 429s, SQL statements. */
  async function measured<T>(work: () => Promise<T>) {
    const [calls, sql, rejected] = [new Map(harness.zoho.calls), new Map(statements), harness.zoho.peaks.rejected429];
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const zoho = diff(harness.zoho.calls, calls);
    const rejected429 = harness.zoho.peaks.rejected429 - rejected;
    const cpuSeconds = (user + system) / 1e6;
    return { result, seconds, cpuSeconds, zoho, zohoCalls: sum(zoho), sql: diff(statements, sql), rejected429 };
  }

  // The share of Zoho's rate a step's calls had over its wall time.
  const zohoRate = limitRate(windowMs);
  const each = (value: number, records: number, digits: number) => (value / Math.max(records, 1)).toFixed(digits);
  type Step = Awaited<ReturnType<typeof measured>>;
  function report(entity: SyncEntity, title: string, per: string, records: number, step: Step) {
    const { seconds, cpuSeconds, zohoCalls } = step;
    const rate = zohoCalls / seconds;
    console.log(`${title}: ${JSON.stringify(step.result)}`);
    console.log(`  Zoho calls ${zohoCalls} = ${each(zohoCalls, records, 3)} per ${per}: ${listed(step.zoho)}`);
    console.log(
      `  wall ${seconds.toFixed(1)} s: ${rate.toFixed(0)} calls a second against Zoho's ${zohoRate} = ` +
        `${(rate / zohoRate).toFixed(3)} of the limit's rate`,
    );
    console.log(`  429s ${step.rejected429}; this process's CPU ${cpuSeconds.toFixed(1)} s`);
    for (const message of failures.get(entity) ?? []) console.log(`  failed: ${message}`);
    failures.delete(entity);
    const sqlCount = sum(step.sql);
    if (sqlCount === 0) return;
    console.log(`  SQL statements ${sqlCount} = ${each(sqlCount, records, 1)} per ${per}: ${listed(step.sql)}`);
  }

  const splynxInvoices = harness.splynx.store.invoices.all();
  const splynxNotes = harness.splynx.store.creditNotes.all();
  console.log(`database: ${engine}; Zoho window ${windowMs} ms (100 calls per window); page size ${PAGE_SIZE}`);
  console.log(`Splynx: ${customers} customers, ${splynxInvoices.length} invoices, ${splynxNotes.length} credit notes`);
  console.log(`Zoho tax rounding: ${taxRounding}`);

  const mapping = await measured(() => harness.mapSuggestions());
  console.log(
    `mappings accepted: ${mapping.zohoCalls} Zoho calls (${listed(mapping.zoho)}), ${mapping.seconds.toFixed(1)} s`,
  );
  const customerRun = await measured(() => runEntity("customer"));
  report("customer", "customers", "customer", customers, customerRun);

  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  const invoiceRun = await measured(() => runEntity("invoice"));
  const created = invoiceRun.result.created;
  report("invoice", "invoices, initial export", "created invoice", created, invoiceRun);
  const drafts = [...org.invoices.values()].filter((invoice) => invoice.status === "draft").length;
  console.log(
    `  Zoho holds ${org.invoices.size} invoices (${drafts} drafts); create + mark sent = ${2 * created} calls`,
  );
  const invoiceRerun = await measured(() => runEntity("invoice"));
  report("invoice", "invoices, unchanged re-run", "invoice", splynxInvoices.length, invoiceRerun);

  const noteRun = await measured(() => runEntity("credit_note"));
  const notesCreated = noteRun.result.created;
  report("credit_note", "credit notes, initial export", "created credit note", notesCreated, noteRun);
  console.log(`  Zoho holds ${org.creditNotes.size} credit notes; create + apply = ${2 * notesCreated} calls`);
  const noteRerun = await measured(() => runEntity("credit_note"));
  report("credit_note", "credit notes, unchanged re-run", "credit note", splynxNotes.length, noteRerun);

  const meanLoad = loads.reduce((total, load) => total + load, 0) / Math.max(loads.length, 1);
  console.log(
    `load average (1 min) through the run: mean ${meanLoad.toFixed(1)}, max ${Math.max(...loads, 0).toFixed(1)}`,
  );
  console.log(
    `peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB (both simulators and their stores run in this process)`,
  );
} finally {
  clearInterval(sampler);
  clearInterval(loadSampler);
  await database.close();
  stop?.();
}

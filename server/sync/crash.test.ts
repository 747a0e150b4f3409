// The crash table: a worker killed dead at each named point of a record's write, for every flow (the export adapters and
// the payments import), and a second worker finishing the run: exactly one record written per record read, counted on
// both sides.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { openPostgres, type Database } from "@/db/client";
import { createRun, finishRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import { syncLinks, type SyncEntity } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator, type SplynxSimulator } from "@/server/sandbox/splynx/simulator";
import type { WireRecord } from "@/server/sandbox/splynx/store";
import { createZohoSimulator, type ZohoSimulator } from "@/server/sandbox/zoho/simulator";
import type { ZohoBooksClient } from "@/server/zoho/books";
import { exchangeCode } from "@/server/zoho/oauth";
import { syncPage } from "./engine";
import type { CrashPoint, SyncContext } from "./entity";
import { ORGANIZATION } from "./testing/harness";
import { httpSyncContext } from "./testing/http-context";
import { mapSuggestions } from "./testing/mapping";
import { depositToUndepositedFunds, recordOnInvoice } from "./testing/payments";

const serverUrl = process.env.TEST_DATABASE_URL;
const RECORDS = 30;
// Payments rows are smaller: their set-up exports customers and invoices first, over HTTP.
const PAYMENTS = 8;
const POINTS: CrashPoint[] = ["before-intent", "after-intent", "after-send", "after-link"];
// Splynx's method 7 ("Zoho Books") is the accounting method imported payments get; 1–3 are exported.
const PAYMENT_SETTINGS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { enabled: true, accountingMethodId: "7" },
};

type Sims = Awaited<ReturnType<typeof simulators>>;
const organization = (zoho: ZohoSimulator) => zoho.store.organizations.get(ORGANIZATION)!;

/**
 * One row per flow: its Splynx records (`records` of them to write), what it needs before the crash (settings,
 * mappings, customers and invoices in Zoho, Zoho payments to import), how many records it has written on the other
 * side, and what it left half-done (expected none).
 */
const FLOWS: {
  entity: SyncEntity;
  records: number;
  splynx: () => SplynxSimulator;
  before?: (tenantId: string, sims: Sims) => Promise<unknown>;
  written: (sims: Sims) => number;
  halfDone?: (sims: Sims) => string[];
}[] = [
  {
    entity: "customer",
    records: RECORDS,
    splynx: () => createSplynxSimulator({ seed: 9, customers: RECORDS, invoices: 0 }),
    written: ({ zoho }) => organization(zoho).contacts.size,
  },
  {
    entity: "invoice",
    records: RECORDS,
    splynx: () => keepInvoices(createSplynxSimulator({ seed: 9, customers: 10, invoices: 60 }), RECORDS),
    before: (tenantId, sims) => exportFirst(tenantId, sims, ["customer"]),
    written: ({ zoho }) => organization(zoho).invoices.size,
    // Created but never marked sent: the crash between the two steps must not leave one behind.
    halfDone: ({ zoho }) =>
      [...organization(zoho).invoices.values()]
        .filter((invoice) => invoice.status === "draft")
        .map((invoice) => `Zoho invoice ${invoice.invoice_number} is a draft`),
  },
  {
    entity: "payment",
    records: PAYMENTS,
    splynx: () => keepPayments(createSplynxSimulator({ seed: 9, customers: 6, invoices: 20 })),
    async before(tenantId, sims) {
      await exportFirst(tenantId, sims, ["customer", "invoice"], PAYMENT_SETTINGS);
      await depositToUndepositedFunds(database.db, tenantId, organization(sims.zoho));
    },
    written: ({ zoho }) => organization(zoho).payments.size,
  },
  {
    entity: "payment_import",
    records: PAYMENTS,
    splynx: () => keepUnpaidInvoices(createSplynxSimulator({ seed: 9, customers: 10, invoices: 60 })),
    async before(tenantId, sims) {
      const context = await exportFirst(tenantId, sims, ["customer", "invoice"], PAYMENT_SETTINGS);
      await recordZohoPayments(context.books, organization(sims.zoho));
    },
    written: (sims) => importedPayments(sims).length,
    halfDone(sims) {
      const lines = sims.splynx.store.bankStatementRecords.all();
      const statements = sims.splynx.store.bankStatements
        .all()
        .filter((statement) => String(statement.title).startsWith("Ledgerlink"));
      return [
        ...importedPayments(sims)
          .map((payment) => ({ payment, count: lines.filter((line) => line.payment_id === payment.id).length }))
          .filter(({ count }) => count !== 1)
          .map(({ payment, count }) => `Splynx payment ${payment.id} is on ${count} statement lines`),
        ...(statements.length === 1 ? [] : [`${statements.length} Ledgerlink statements for one month`]),
      ];
    },
  },
];

/** Every page of one entity's flow, in one run. */
async function syncAll(context: SyncContext, entity: SyncEntity) {
  for (let after = 0; ; ) {
    const page = await syncPage(context, entity, { after, pageSize: 10 });
    if (page.done) return;
    after = page.lastId!;
  }
}

/** The tenant's settings saved and mappings made, and these entities in Zoho, by a run of their own. */
async function exportFirst(tenantId: string, sims: Sims, entities: SyncEntity[], settings?: Record<string, unknown>) {
  if (settings) await saveSettingsRow(database.db, { tenantId, values: settings });
  const setup = await createRun(database.db, { tenantId, trigger: "manual", requestedBy: null, entities });
  const context = await httpSyncContext(database.db, { tenantId, runId: setup.id, ...sims });
  await mapSuggestions(database.db, tenantId, context);
  for (const entity of entities) await syncAll(context, entity);
  await finishRun(database.db, { tenantId, runId: setup.id, status: "succeeded" });
  return context;
}

/** Invoices Zoho will take (not deleted, with items, not negative), so the counts compare. */
const takenByZoho = (invoice: WireRecord) =>
  invoice.status !== "deleted" && (invoice.items as unknown[]).length > 0 && Number(invoice.total) >= 0;

const idsOf = (records: readonly WireRecord[]) => records.map((record) => Number(record.id));

/** Keeps the first `count` invoices that pass, and removes the rest. */
function keepInvoices(splynx: SplynxSimulator, count: number, passes = takenByZoho): SplynxSimulator {
  const kept = new Set(idsOf(splynx.store.invoices.all().filter(passes).slice(0, count)));
  // all() is the store's own array: the ids to remove are read before any is removed.
  for (const id of idsOf(splynx.store.invoices.all()).filter((id) => !kept.has(id))) splynx.store.invoices.remove(id);
  expect(splynx.store.invoices.all()).toHaveLength(count);
  return splynx;
}

/** Keeps PAYMENTS positive payments, each on an invoice Zoho takes or on none, and only the invoices they pay. */
function keepPayments(splynx: SplynxSimulator): SplynxSimulator {
  const invoices = new Map(splynx.store.invoices.all().map((invoice) => [Number(invoice.id), invoice]));
  const kept = splynx.store.payments
    .all()
    .filter((payment) => Number(payment.amount) > 0)
    .filter((payment) => !payment.invoice_id || takenByZoho(invoices.get(Number(payment.invoice_id))!))
    .slice(0, PAYMENTS);
  const keptIds = new Set(idsOf(kept));
  for (const id of idsOf(splynx.store.payments.all()).filter((id) => !keptIds.has(id)))
    splynx.store.payments.remove(id);
  const paid = new Set(kept.map((payment) => Number(payment.invoice_id)));
  keepInvoices(splynx, paid.has(0) ? paid.size - 1 : paid.size, (invoice) => paid.has(Number(invoice.id)));
  expect(splynx.store.payments.all()).toHaveLength(PAYMENTS);
  return splynx;
}

/** Keeps PAYMENTS invoices Zoho takes that still owe money in Splynx, for Zoho payments to be imported onto. */
const keepUnpaidInvoices = (splynx: SplynxSimulator) =>
  keepInvoices(
    splynx,
    PAYMENTS,
    (invoice) => takenByZoho(invoice) && invoice.status === "not_paid" && Number(invoice.due) > 0,
  );

/** A payment recorded in Zoho itself (through its API) on each invoice there. */
async function recordZohoPayments(books: ZohoBooksClient, org: ReturnType<typeof organization>) {
  const invoices = [...org.invoices.values()];
  expect(invoices).toHaveLength(PAYMENTS);
  for (const invoice of invoices) await recordOnInvoice(books, invoice, Math.min(Number(invoice.balance), 10));
}

/** The Splynx payments made from a Zoho payment (it keeps the Zoho id in field_1). */
const importedPayments = ({ splynx, zoho }: Sims) =>
  splynx.store.payments.all().filter((payment) => organization(zoho).payments.has(String(payment.field_1)));

let database: Database;
let databaseUrl: string;
const servers: { close: () => Promise<void> }[] = [];

beforeAll(async () => {
  if (!serverUrl) return;
  const { default: postgres } = await import("postgres");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `crash_${randomUUID().replaceAll("-", "")}`;
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  database = await openPostgres(databaseUrl, { max: 4 });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await database?.close();
});

async function simulators(splynx: SplynxSimulator) {
  let zoho!: ZohoSimulator;
  const splynxServer = await serveHttp(splynx.handle);
  const zohoServer = await serveHttp((request) => zoho.handle(request));
  servers.push(splynxServer, zohoServer);
  zoho = createZohoSimulator({
    accountsServer: zohoServer.url,
    apiDomain: zohoServer.url,
    windowMs: 200,
    clients: [{ clientId: "c", clientSecret: "s", redirectUris: [] }],
  });
  const consent = await fetch(`${zohoServer.url}/oauth/v2/auth`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      client_id: "c",
      redirect_uri: "http://app/cb",
      scope: "ZohoBooks.fullaccess.all",
      access_type: "offline",
      decision: "accept",
      user: "books-admin@sandbox.example",
    }),
  });
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const grant = await exchangeCode({
    fetch,
    accountsServer: zohoServer.url,
    clientId: "c",
    clientSecret: "s",
    code,
    redirectUri: "http://app/cb",
  });
  return { splynx, zoho, splynxUrl: splynxServer.url, zohoUrl: zohoServer.url, token: grant.accessToken };
}

describe.skipIf(!serverUrl).each(FLOWS)(
  "$entity: a worker killed dead mid-write",
  ({ entity, records, splynx, before, written, halfDone }) => {
    it.each(POINTS)(
      "at %s leaves nothing a second worker can't finish without a duplicate",
      async (point) => {
        const crashAt = Math.ceil(records / 2);
        const sims = await simulators(splynx());
        const tenant = await makeTenant(database.db, await makePerson(database.db, `crash-${point}`), `crash-${point}`);
        await before?.(tenant.id, sims);
        expect(written(sims)).toBe(0);
        const run = await createRun(database.db, {
          tenantId: tenant.id,
          trigger: "manual",
          requestedBy: null,
          entities: [entity],
        });
        const args = [
          databaseUrl,
          tenant.id,
          run.id,
          sims.splynxUrl,
          sims.zohoUrl,
          sims.token,
          entity,
          point,
          String(crashAt),
        ];
        const worker = spawn("node", ["--import", "tsx", "server/sync/testing/crash-worker.ts", ...args], {
          stdio: "ignore",
        });
        const signal = await new Promise((resolve) => worker.on("exit", (_code, killedBy) => resolve(killedBy)));
        expect(signal).toBe("SIGKILL");
        // A page writes up to 9 records at once (the organization's concurrency but one): at the crash, the records
        // ahead of the one that died are written or still in flight, and (after the send) those beside it may be too.
        const beforeSend = point === "before-intent" || point === "after-intent";
        const lanes = 9;
        expect(written(sims)).toBeGreaterThanOrEqual(beforeSend ? crashAt - lanes : crashAt);
        expect(written(sims)).toBeLessThanOrEqual(beforeSend ? crashAt - 1 : crashAt + lanes - 1);

        // The dead worker's claim lapses (300 ms in the worker), then the run's next attempt finishes every record.
        await new Promise((resolve) => setTimeout(resolve, 400));
        await syncAll(await httpSyncContext(database.db, { tenantId: tenant.id, runId: run.id, ...sims }), entity);
        const links = await database.db
          .select()
          .from(syncLinks)
          .where(and(eq(syncLinks.tenantId, tenant.id), eq(syncLinks.entity, entity)));
        expect(links.filter((link) => link.state === "synced")).toHaveLength(records);
        expect(new Set(links.map((link) => link.zohoId)).size).toBe(records);
        expect(written(sims)).toBe(records);
        expect(halfDone?.(sims) ?? []).toEqual([]);
      },
      60_000,
    );
  },
);

// The crash table: a worker killed dead at each named point of a record's write, for every entity adapter, and a second
// worker finishing the run: exactly one Zoho record per Splynx record, counted on both sides.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { openPostgres, type Database } from "@/db/client";
import { createRun, finishRun } from "@/db/queries/runs";
import { syncLinks, type SyncEntity } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator, type SplynxSimulator } from "@/server/sandbox/splynx/simulator";
import { createZohoSimulator, type ZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { exchangeCode } from "@/server/zoho/oauth";
import { syncPage } from "./engine";
import type { CrashPoint } from "./entity";
import { ORGANIZATION } from "./testing/harness";
import { httpSyncContext } from "./testing/http-context";
import { mapSuggestions } from "./testing/mapping";

const serverUrl = process.env.TEST_DATABASE_URL;
const RECORDS = 30;
const CRASH_AT_RECORD = 14;
const POINTS: CrashPoint[] = ["before-intent", "after-intent", "after-send", "after-link"];

type Sims = Awaited<ReturnType<typeof simulators>>;
const organization = (zoho: ZohoSimulator) => zoho.store.organizations.get(ORGANIZATION)!;

/**
 * One row per adapter: its Splynx records (RECORDS of them eligible), what it needs before the crash (mappings, its
 * customers in Zoho), and how many Zoho records it has made.
 */
const ADAPTERS: {
  entity: SyncEntity;
  splynx: () => SplynxSimulator;
  before?: (tenantId: string, sims: Sims) => Promise<void>;
  zohoCount: (zoho: ZohoSimulator) => number;
  unfinished?: (zoho: ZohoSimulator) => number;
}[] = [
  {
    entity: "customer",
    splynx: () => createSplynxSimulator({ seed: 9, customers: RECORDS, invoices: 0 }),
    zohoCount: (zoho) => organization(zoho).contacts.size,
  },
  {
    entity: "invoice",
    splynx: () => invoicesOnly(createSplynxSimulator({ seed: 9, customers: 10, invoices: 60 })),
    async before(tenantId, sims) {
      const setup = await createRun(database.db, {
        tenantId,
        trigger: "manual",
        requestedBy: null,
        entities: ["customer"],
      });
      const context = httpSyncContext(database.db, { tenantId, runId: setup.id, ...sims });
      await mapSuggestions(database.db, tenantId, context);
      for (let after = 0; ; ) {
        const page = await syncPage(context, "customer", { after, pageSize: 50 });
        if (page.done) break;
        after = page.lastId!;
      }
      await finishRun(database.db, { tenantId, runId: setup.id, status: "succeeded" });
    },
    zohoCount: (zoho) => organization(zoho).invoices.size,
    // Created but never marked sent: the crash between the two steps must not leave one behind.
    unfinished: (zoho) =>
      [...organization(zoho).invoices.values()].filter((invoice) => invoice.status === "draft").length,
  },
];

/** Keeps RECORDS invoices that Zoho will take (not deleted, with items, not negative), so the counts compare. */
function invoicesOnly(splynx: SplynxSimulator): SplynxSimulator {
  const eligible = splynx.store.invoices
    .all()
    .filter(
      (invoice) =>
        invoice.status !== "deleted" && (invoice.items as unknown[]).length > 0 && Number(invoice.total) >= 0,
    );
  const kept = new Set(eligible.slice(0, RECORDS).map((invoice) => Number(invoice.id)));
  const removed = splynx.store.invoices
    .all()
    .map((invoice) => Number(invoice.id))
    .filter((id) => !kept.has(id));
  for (const id of removed) splynx.store.invoices.remove(id);
  expect(splynx.store.invoices.all()).toHaveLength(RECORDS);
  return splynx;
}

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
      scope: "x",
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
  return { zoho, splynxUrl: splynxServer.url, zohoUrl: zohoServer.url, token: grant.accessToken };
}

describe.skipIf(!serverUrl).each(ADAPTERS)(
  "$entity: a worker killed dead mid-write",
  ({ entity, splynx, before, zohoCount, unfinished }) => {
    it.each(POINTS)(
      "at %s leaves nothing a second worker can't finish without a duplicate",
      async (point) => {
        const sims = await simulators(splynx());
        const tenant = await makeTenant(database.db, await makePerson(database.db, `crash-${point}`), `crash-${point}`);
        await before?.(tenant.id, sims);
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
          String(CRASH_AT_RECORD),
        ];
        const worker = spawn("node", ["--import", "tsx", "server/sync/testing/crash-worker.ts", ...args], {
          stdio: "ignore",
        });
        const signal = await new Promise((resolve) => worker.on("exit", (_code, killedBy) => resolve(killedBy)));
        expect(signal).toBe("SIGKILL");
        const beforeCrash =
          point === "before-intent" || point === "after-intent" ? CRASH_AT_RECORD - 1 : CRASH_AT_RECORD;
        expect(zohoCount(sims.zoho)).toBe(beforeCrash);

        // The dead worker's claim lapses (300 ms in the worker), then the run's next attempt finishes every record.
        await new Promise((resolve) => setTimeout(resolve, 400));
        const context = httpSyncContext(database.db, {
          tenantId: tenant.id,
          runId: run.id,
          splynxUrl: sims.splynxUrl,
          zohoUrl: sims.zohoUrl,
          token: sims.token,
        });
        for (let after = 0; ; ) {
          const page = await syncPage(context, entity, { after, pageSize: 10 });
          if (page.done) break;
          after = page.lastId!;
        }
        const links = await database.db
          .select()
          .from(syncLinks)
          .where(and(eq(syncLinks.tenantId, tenant.id), eq(syncLinks.entity, entity)));
        expect(links.filter((link) => link.state === "synced")).toHaveLength(RECORDS);
        expect(new Set(links.map((link) => link.zohoId)).size).toBe(RECORDS);
        expect(zohoCount(sims.zoho)).toBe(RECORDS);
        expect(unfinished?.(sims.zoho) ?? 0).toBe(0);
      },
      60_000,
    );
  },
);

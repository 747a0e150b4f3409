// The crash table: a worker killed dead at each named point of a record's write, for every entity adapter, and a second
// worker finishing the run: exactly one Zoho record per Splynx record, counted on both sides.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { openPostgres, type Database } from "@/db/client";
import { createRun } from "@/db/queries/runs";
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

const serverUrl = process.env.TEST_DATABASE_URL;
const RECORDS = 30;
const CRASH_AT_RECORD = 14;
const POINTS: CrashPoint[] = ["before-intent", "after-intent", "after-send", "after-link"];

/** One row per adapter: how to seed its Splynx records and count what Zoho holds of them. */
const ADAPTERS: { entity: SyncEntity; splynx: () => SplynxSimulator; zohoCount: (zoho: ZohoSimulator) => number }[] = [
  { entity: "customer", splynx: () => createSplynxSimulator({ seed: 9, customers: RECORDS, invoices: 0 }), zohoCount: (zoho) => zoho.store.organizations.get(ORGANIZATION)!.contacts.size },
];

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
  zoho = createZohoSimulator({ accountsServer: zohoServer.url, apiDomain: zohoServer.url, windowMs: 200, clients: [{ clientId: "c", clientSecret: "s", redirectUris: [] }] });
  const consent = await fetch(`${zohoServer.url}/oauth/v2/auth`, { method: "POST", redirect: "manual", body: new URLSearchParams({ client_id: "c", redirect_uri: "http://app/cb", scope: "x", access_type: "offline", decision: "accept", user: "books-admin@sandbox.example" }) });
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const grant = await exchangeCode({ fetch, accountsServer: zohoServer.url, clientId: "c", clientSecret: "s", code, redirectUri: "http://app/cb" });
  return { zoho, splynxUrl: splynxServer.url, zohoUrl: zohoServer.url, token: grant.accessToken };
}

describe.skipIf(!serverUrl).each(ADAPTERS)("$entity: a worker killed dead mid-write", ({ entity, splynx, zohoCount }) => {
  it.each(POINTS)("at %s leaves nothing a second worker can't finish without a duplicate", async (point) => {
    const sims = await simulators(splynx());
    const tenant = await makeTenant(database.db, await makePerson(database.db, `crash-${point}`), `crash-${point}`);
    const run = await createRun(database.db, { tenantId: tenant.id, trigger: "manual", requestedBy: null, entities: [entity] });
    const args = [databaseUrl, tenant.id, run.id, sims.splynxUrl, sims.zohoUrl, sims.token, entity, point, String(CRASH_AT_RECORD)];
    const worker = spawn("node", ["--import", "tsx", "server/sync/testing/crash-worker.ts", ...args], { stdio: "ignore" });
    const signal = await new Promise((resolve) => worker.on("exit", (_code, killedBy) => resolve(killedBy)));
    expect(signal).toBe("SIGKILL");
    const beforeCrash = point === "before-intent" || point === "after-intent" ? CRASH_AT_RECORD - 1 : CRASH_AT_RECORD;
    expect(zohoCount(sims.zoho)).toBe(beforeCrash);

    // The dead worker's claim lapses (300 ms in the worker), then the run's next attempt finishes every record.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const context = httpSyncContext(database.db, { tenantId: tenant.id, runId: run.id, splynxUrl: sims.splynxUrl, zohoUrl: sims.zohoUrl, token: sims.token });
    for (let after = 0; ; ) {
      const page = await syncPage(context, entity, { after, pageSize: 10 });
      if (page.done) break;
      after = page.lastId!;
    }
    const links = await database.db.select().from(syncLinks).where(and(eq(syncLinks.tenantId, tenant.id), eq(syncLinks.entity, entity)));
    expect(links.filter((link) => link.state === "synced")).toHaveLength(RECORDS);
    expect(new Set(links.map((link) => link.zohoId)).size).toBe(RECORDS);
    expect(zohoCount(sims.zoho)).toBe(RECORDS);
  }, 60_000);
});

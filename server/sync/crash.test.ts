// A worker killed mid-run (wherever the kill lands: before a create, between a create and its link, after) and a second
// worker finishing: exactly one Zoho contact per customer, counted in the simulator.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { openPostgres, type Database } from "@/db/client";
import { createRun } from "@/db/queries/runs";
import { syncLinks } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator } from "@/server/sandbox/splynx/simulator";
import { createZohoSimulator, type ZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { exchangeCode } from "@/server/zoho/oauth";
import { syncCustomerPage } from "./engine";
import { ORGANIZATION } from "./testing/harness";
import { httpSyncContext } from "./testing/http-context";

const serverUrl = process.env.TEST_DATABASE_URL;
const CUSTOMERS = 300;
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

describe.skipIf(!serverUrl)("a worker killed mid-run", () => {
  it("leaves nothing a second worker can't finish without a duplicate", async () => {
    const splynx = createSplynxSimulator({ seed: 9, customers: CUSTOMERS, invoices: 0 });
    let zoho!: ZohoSimulator;
    const splynxServer = await serveHttp(splynx.handle);
    const zohoServer = await serveHttp((request) => zoho.handle(request));
    servers.push(splynxServer, zohoServer);
    zoho = createZohoSimulator({ accountsServer: zohoServer.url, apiDomain: zohoServer.url, windowMs: 200, clients: [{ clientId: "c", clientSecret: "s", redirectUris: [] }] });
    zoho.faults.latencyMs = 3;
    const consent = await fetch(`${zohoServer.url}/oauth/v2/auth`, { method: "POST", redirect: "manual", body: new URLSearchParams({ client_id: "c", redirect_uri: "http://app/cb", scope: "x", access_type: "offline", decision: "accept", user: "books-admin@sandbox.example" }) });
    const grant = await exchangeCode({ fetch, accountsServer: zohoServer.url, clientId: "c", clientSecret: "s", code: new URL(consent.headers.get("location")!).searchParams.get("code")!, redirectUri: "http://app/cb" });
    const tenant = await makeTenant(database.db, await makePerson(database.db, "crash"), "crash");
    const run = await createRun(database.db, { tenantId: tenant.id, trigger: "manual", requestedBy: null, entities: ["customer"] });
    const contacts = () => zoho.store.organizations.get(ORGANIZATION)!.contacts.size;

    const worker = spawn("node", ["--import", "tsx", "server/sync/testing/crash-worker.ts", databaseUrl, tenant.id, run.id, splynxServer.url, zohoServer.url, grant.accessToken], { stdio: "ignore" });
    const exited = new Promise((resolve) => worker.on("exit", resolve));
    while (contacts() < CUSTOMERS / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    worker.kill("SIGKILL");
    await exited;
    const createdBeforeKill = contacts();
    expect(createdBeforeKill).toBeLessThan(CUSTOMERS);

    const context = httpSyncContext(database.db, { tenantId: tenant.id, runId: run.id, splynxUrl: splynxServer.url, zohoUrl: zohoServer.url, token: grant.accessToken });
    for (let after = 0; ; ) {
      const page = await syncCustomerPage(context, { after, pageSize: 25 });
      if (page.lastId === null || page.records < 25) break;
      after = page.lastId;
    }
    const links = await database.db.select().from(syncLinks).where(and(eq(syncLinks.tenantId, tenant.id), eq(syncLinks.entity, "customer")));
    expect(links.filter((link) => link.state === "synced")).toHaveLength(CUSTOMERS);
    expect(new Set(links.map((link) => link.zohoId)).size).toBe(CUSTOMERS);
    expect(contacts()).toBe(CUSTOMERS);
  }, 90_000);
});

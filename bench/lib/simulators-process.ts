// Many ISPs' Splynx and Zoho Books simulators in one child process, one pair per tenant, served on one HTTP port:
// tenant i's Splynx under /s/i, its Zoho (accounts server and Books API) under /z/i, each Zoho organization with an id
// of its own, so every tenant has a limiter row of its own as every ISP has its own organization.
// Started by `startTenantSimulators` (simulators.ts): node --import tsx bench/lib/simulators-process.ts <tenants>
// <customers each> <window ms>; prints its URL as JSON, then answers GET /stats with what the simulators saw.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator, type SplynxSimulator } from "@/server/sandbox/splynx/simulator";
import { createZohoSimulator, type ZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { FIXTURE_APP } from "@/server/zoho/testing/zoho-fixture";
import { organizationIdOf, splynxKeyOf, type SimulatorStats } from "./simulators";

const [tenants, customers, windowMs] = process.argv.slice(2).map(Number) as [number, number, number];
const SEEDED_ORGANIZATION = "2646610000000000001";

const splynx: SplynxSimulator[] = [];
const zoho: ZohoSimulator[] = [];
/** Books calls answered per second (epoch seconds) and per tenant, for the rates the bench reports. */
const perSecond = new Map<number, number>();
const perTenant: number[] = Array(tenants).fill(0);

const server = await serveHttp(async (request) => {
  const url = new URL(request.url);
  if (url.pathname === "/stats") return Response.json(stats());
  const [, kind, index, ...rest] = url.pathname.split("/");
  const tenant = Number(index);
  const inner = new URL(`/${rest.join("/")}${url.search}`, url.origin);
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  const forwarded = new Request(inner, { method: request.method, headers: request.headers, body });
  if (kind === "s") return splynx[tenant]!.handle(forwarded);
  const response = await zoho[tenant]!.handle(forwarded);
  if (inner.pathname.startsWith("/books/v3")) {
    const second = Math.floor(Date.now() / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    perTenant[tenant]!++;
  }
  return response;
});

for (let tenant = 0; tenant < tenants; tenant++) {
  const apiKeys = [{ ...splynxKeyOf(tenant), title: "Ledgerlink", checkNonce: true, unsecureAccess: false }];
  splynx.push(createSplynxSimulator({ seed: tenant + 1, customers, invoices: 0, apiKeys }));
  const base = `${server.url}/z/${tenant}`;
  const simulator = createZohoSimulator({
    accountsServer: base,
    apiDomain: base,
    windowMs,
    clients: [{ ...FIXTURE_APP, redirectUris: [] }],
  });
  // The seeded organization under the tenant's own id (its records' ids follow it, as Zoho's do).
  const { organizations, users } = simulator.store;
  const organization = organizations.get(SEEDED_ORGANIZATION)!;
  Object.assign(organization, { id: organizationIdOf(tenant) });
  organizations.delete(SEEDED_ORGANIZATION);
  organizations.set(organization.id, organization);
  for (const [user, ids] of users)
    users.set(user, [organization.id, ...ids.filter((id) => id !== SEEDED_ORGANIZATION)]);
  zoho.push(simulator);
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
function stats(): SimulatorStats {
  return {
    perSecond: Object.fromEntries(perSecond),
    perTenant,
    rejected429: zoho.reduce((sum, simulator) => sum + simulator.peaks.rejected429, 0),
    busiestWindow: Math.max(...zoho.map((simulator) => simulator.peaks.perWindow)),
    cpu: process.cpuUsage(),
    rss: process.memoryUsage().rss,
    eventLoopMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

console.log(JSON.stringify({ url: server.url }));
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));

// The access token cached in the process: Zoho calls stop reading the connection row for it, and a token Zoho refuses
// is dropped from the cache at once. Statements are counted on the PostgreSQL client itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ZohoBooksClient } from "./books";
import { ZohoLimiter, ZOHO_LIMITS } from "./limiter";
import { connectedTenant, FIXTURE_APP, ORGANIZATION, startZoho } from "./testing/zoho-fixture";
import { forgetAccessToken } from "./token-cache";
import { accessToken } from "./tokens";

const database = registerTestDatabase();
let zoho: Awaited<ReturnType<typeof startZoho>>;
beforeAll(async () => {
  zoho = await startZoho();
});
afterAll(() => zoho.server.close());

/**
 * Counts the statements the database client sends while `work` runs (postgres-js reads `debug` on every query), or
 * only those that name `table`.
 */
async function statementsDuring(db: Db, work: () => Promise<unknown>, table?: string): Promise<number> {
  const client = (db as unknown as { $client: { options: { debug?: unknown } } }).$client;
  let statements = 0;
  client.options.debug = (_connection: unknown, query: string) => {
    if (!table || query.includes(`"${table}"`)) statements++;
  };
  try {
    await work();
  } finally {
    client.options.debug = false;
  }
  return statements;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)("the access token cache (PostgreSQL)", () => {
  it("reads the connection once for fifty Zoho calls, where it read it for every call", async () => {
    const { db } = database;
    const { tenant } = await connectedTenant(db, zoho.url);
    const context = { db, tenantId: tenant.id, appFor: () => FIXTURE_APP, fetchFor: () => fetch };
    const limiter = new ZohoLimiter(db, { ...ZOHO_LIMITS, perWindow: 1000, windowMs: 60_000, concurrency: 10 });
    const books = new ZohoBooksClient({
      apiDomain: zoho.url,
      organizationId: ORGANIZATION,
      accessToken: (options) => accessToken(context, options),
      limiter,
    });
    const fiftyTokens = async () => {
      for (let index = 0; index < 50; index++) await accessToken(context);
    };
    expect(await statementsDuring(db, fiftyTokens)).toBe(1);
    expect(await statementsDuring(db, fiftyTokens)).toBe(0);

    // Only reads of the connection row count: the limiter's statements, and the quota the client stores from Zoho's
    // headers at most once a second, vary with the clock.
    const calls = 20;
    const call = () => books.request({ method: "GET", path: "/settings/currencies" });
    const cached = await statementsDuring(
      db,
      async () => {
        for (let index = 0; index < calls; index++) await call();
      },
      "zoho_connections",
    );
    const uncached = await statementsDuring(
      db,
      async () => {
        for (let index = 0; index < calls; index++) {
          forgetAccessToken(tenant.id);
          await call();
        }
      },
      "zoho_connections",
    );
    expect(cached).toBe(0);
    expect(uncached).toBe(calls);
  });

  it("drops a token Zoho refuses and takes the one another process stored, without refreshing", async () => {
    const { db } = database;
    const { tenant } = await connectedTenant(db, zoho.url);
    const context = { db, tenantId: tenant.id, appFor: () => FIXTURE_APP, fetchFor: () => fetch };
    const first = await accessToken(context);
    zoho.simulator.store.accessTokens.delete(first);
    const refreshes = () => zoho.simulator.calls.get("POST /oauth/v2/token (refresh)") ?? 0;
    const before = refreshes();
    const renewed = await accessToken(context, { force: true, rejected: first });
    expect(renewed).not.toBe(first);
    expect(refreshes() - before).toBe(1);
    // Another caller in this process, which saw the refusal too, gets the renewed token from the cache.
    expect(await accessToken(context, { force: true, rejected: first })).toBe(renewed);
    expect(await statementsDuring(db, () => accessToken(context))).toBe(0);
    expect(refreshes() - before).toBe(1);
  });
});

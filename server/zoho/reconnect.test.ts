// The OAuth callback against the people and tokens it touches: the person must still be an admin when Zoho answers, a
// reconnect revokes the refresh token it replaces, and Zoho's cap of 20 refresh tokens shows as "needs reconnect".
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { getZohoConnection } from "@/db/queries/zoho";
import { memberships } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_ZOHO, sandboxPath, sandboxZoho, sandboxZohoFetch } from "@/server/sandbox";
import { REFRESH_TOKENS_PER_USER } from "@/server/sandbox/zoho/oauth";
import { appForConnection, completeZohoConnect, SANDBOX_REGION, startZohoConnect, zohoFetchFor } from "./connection";
import { exchangeCode } from "./oauth";
import { sandboxConsent } from "./testing/sandbox-tenant";
import { accessToken } from "./tokens";

const database = registerTestDatabase();
const ORIGIN = "http://localhost:3000";
const CALLBACK = `${ORIGIN}/api/zoho/callback`;
const USER = "books-admin@sandbox.example";

async function connect(db: Db, tenant: { id: string; slug: string }, person: { id: string; email: string }) {
  const authorize = await startZohoConnect(db, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    personId: person.id,
    region: SANDBOX_REGION,
    origin: ORIGIN,
  });
  return completeZohoConnect(db, { actor: person, query: await sandboxConsent(tenant.id, authorize), origin: ORIGIN });
}

/** The sandbox app's refresh tokens the tenant's sandbox Zoho would still honour for its user. */
const liveRefreshTokens = (tenantId: string) =>
  [...sandboxZoho(tenantId).store.refreshTokens.values()].filter(
    (token) => !token.revoked && token.clientId === SANDBOX_ZOHO.app.clientId && token.user === USER,
  );

const codeExchanges = (tenantId: string) => sandboxZoho(tenantId).calls.get("POST /oauth/v2/token (code)") ?? 0;

describe("the Zoho OAuth callback", () => {
  it("refuses the answer of a person demoted or removed since they started, before exchanging the code", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    for (const change of ["demoted", "removed"] as const) {
      const admin = await makePerson(db, "admin");
      await db.insert(memberships).values({ tenantId: tenant.id, personId: admin.id, role: "admin" });
      const authorize = await startZohoConnect(db, {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        personId: admin.id,
        region: SANDBOX_REGION,
        origin: ORIGIN,
      });
      const answer = await sandboxConsent(tenant.id, authorize);
      const membership = and(eq(memberships.tenantId, tenant.id), eq(memberships.personId, admin.id));
      if (change === "demoted") await db.update(memberships).set({ role: "viewer" }).where(membership);
      else await db.delete(memberships).where(membership);
      const exchanged = codeExchanges(tenant.id);
      await expect(completeZohoConnect(db, { actor: admin, query: answer, origin: ORIGIN })).rejects.toMatchObject({
        name: "Error",
        message: "You are no longer an admin of this tenant, so Zoho Books was not connected.",
        // A removed person is not told which tenant it was.
        tenantId: change === "demoted" ? tenant.id : undefined,
      });
      expect(codeExchanges(tenant.id), change).toBe(exchanged);
    }
    expect(await getZohoConnection(db, { tenantId: tenant.id })).toBeUndefined();
  });

  it("revokes the refresh token each reconnect replaces, so 25 reconnects leave one live token", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const before = liveRefreshTokens(tenant.id).length;
    for (let round = 0; round < 25; round++)
      expect(await connect(db, tenant, owner)).toEqual({ tenantId: tenant.id, warning: undefined });
    expect(liveRefreshTokens(tenant.id)).toHaveLength(before + 1);
    const context = { db, tenantId: tenant.id, appFor: appForConnection, fetchFor: zohoFetchFor(tenant.id) };
    expect(await accessToken(context, { force: true })).toMatch(/^1000\./);
  });

  it("shows 'needs reconnect' with the reason when 20 newer consents of its Zoho user push its token out", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    await connect(db, tenant, owner);
    // Another integration (or a person in Zoho's console) consents with the same user and app, 20 times.
    for (let round = 0; round < REFRESH_TOKENS_PER_USER; round++) {
      const authorize = new URL(`${ORIGIN}${sandboxPath(tenant.slug, "zoho")}/oauth/v2/auth`);
      authorize.search = new URLSearchParams({
        client_id: SANDBOX_ZOHO.app.clientId,
        redirect_uri: CALLBACK,
        scope: "ZohoBooks.contacts.READ",
        access_type: "offline",
      }).toString();
      const code = (await sandboxConsent(tenant.id, authorize.href)).get("code")!;
      await exchangeCode({
        fetch: sandboxZohoFetch(tenant.id),
        accountsServer: SANDBOX_ZOHO.accountsServer,
        ...SANDBOX_ZOHO.app,
        code,
        redirectUri: CALLBACK,
      });
    }
    expect(liveRefreshTokens(tenant.id)).toHaveLength(REFRESH_TOKENS_PER_USER);
    const context = { db, tenantId: tenant.id, appFor: appForConnection, fetchFor: zohoFetchFor(tenant.id) };
    await expect(accessToken(context, { force: true })).rejects.toThrow("Zoho Books needs reconnecting");
    expect(await getZohoConnection(db, { tenantId: tenant.id })).toMatchObject({
      state: "needs_reconnect",
      stateReason:
        "Zoho no longer accepts the stored refresh token (invalid_code): it was revoked in Zoho, or Zoho dropped it " +
        "because 20 newer ones were issued for the same Zoho user and app. Reconnect Zoho Books.",
    });
  });
});

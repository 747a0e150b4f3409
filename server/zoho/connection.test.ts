// The consent round trip through the sandbox: a good answer connects; tampered, replayed, expired or foreign ones don't.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getZohoConnection } from "@/db/queries/zoho";
import { OAUTH_STATE_TTL_MS } from "@/db/queries/zoho-oauth-states";
import { auditLog } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { booksClientForTenant, completeZohoConnect, SANDBOX_REGION, startZohoConnect } from "./connection";

const database = registerTestDatabase();
const ORIGIN = "http://localhost:3000";

async function consentRedirect(tenantId: string, authorizeUrl: string) {
  const response = await sandboxZoho(tenantId).handle(
    new Request(authorizeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision: "accept", user: "books-admin@sandbox.example" }),
    }),
  );
  return new URL(response.headers.get("location")!);
}

async function started() {
  const { db } = database;
  const person = await makePerson(db, "admin");
  const tenant = await makeTenant(db, person);
  const url = await startZohoConnect(db, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    personId: person.id,
    region: SANDBOX_REGION,
    origin: ORIGIN,
  });
  return { person, tenant, url, actor: { id: person.id, email: person.email } };
}

/** A tenant connected through the sandbox, its organization the one on `plan` (as Zoho names it) chosen. */
async function connectedOnPlan(plan: string) {
  const { db } = database;
  const { person, tenant, url, actor } = await started();
  await completeZohoConnect(db, { actor, query: (await consentRedirect(tenant.id, url)).searchParams, origin: ORIGIN });
  const asAdmin = callerFor(db, person);
  const organizations = await asAdmin.zoho.organizations({ tenantSlug: tenant.slug });
  const { organizationId } = organizations.find((organization) => organization.planName === plan)!;
  await asAdmin.zoho.chooseOrganization({ tenantSlug: tenant.slug, organizationId });
  return { tenant, organizationId };
}

describe("Connect with Zoho Books", () => {
  it("asks for offline access with consent and the sync's scopes, and connects from a genuine answer", async () => {
    const { db } = database;
    const { person, tenant, url, actor } = await started();
    const authorize = new URL(url);
    expect(authorize.origin + authorize.pathname).toBe(`${ORIGIN}/sandbox/${tenant.slug}/zoho/oauth/v2/auth`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      access_type: "offline",
      prompt: "consent",
      response_type: "code",
      redirect_uri: `${ORIGIN}/api/zoho/callback`,
      scope: expect.stringContaining("ZohoBooks.invoices.ALL"),
    });

    const redirect = await consentRedirect(tenant.id, url);
    expect(redirect.searchParams.get("accounts-server")).toBe("sandbox://zoho-accounts");
    expect(await completeZohoConnect(db, { actor, query: redirect.searchParams, origin: ORIGIN })).toEqual({
      tenantId: tenant.id,
      warning: undefined,
    });
    expect(await getZohoConnection(db, { tenantId: tenant.id })).toMatchObject({
      region: SANDBOX_REGION,
      state: "connected",
      organizationId: null,
      apiDomain: "sandbox://zoho-api",
    });
    expect(
      (await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).map((entry) => entry.action),
    ).toContain("zoho.connect");

    const asAdmin = callerFor(db, person);
    const organizations = await asAdmin.zoho.organizations({ tenantSlug: tenant.slug });
    expect(organizations.map((organization) => organization.name)).toEqual(["Demo ISP Ltd", "Demo ISP Holdings"]);
    await asAdmin.zoho.chooseOrganization({
      tenantSlug: tenant.slug,
      organizationId: organizations[0]!.organizationId,
    });
    await expect(
      asAdmin.zoho.chooseOrganization({ tenantSlug: tenant.slug, organizationId: organizations[1]!.organizationId }),
    ).rejects.toThrow("accounting data reset");
    expect(await asAdmin.zoho.connection({ tenantSlug: tenant.slug })).toMatchObject({
      connected: true,
      organizationName: "Demo ISP Ltd",
      state: "connected",
    });
    // Its plan is a paid one (Professional): its syncs may have Zoho's 10 calls in flight at once.
    expect((await booksClientForTenant(db, tenant.id)).concurrency).toBe(10);
  });

  it("keeps a free organization's syncs to the 5 calls at once its plan allows", async () => {
    const { tenant } = await connectedOnPlan("FREE");
    expect((await booksClientForTenant(database.db, tenant.id)).concurrency).toBe(5);
  });

  it("keeps to Free's 5 calls at once from the next client on, once Zoho refuses what the kept plan allowed", async () => {
    const { db } = database;
    const { tenant, organizationId } = await connectedOnPlan("PROFESSIONAL");
    const books = await booksClientForTenant(db, tenant.id);
    expect(books.concurrency).toBe(10);
    // Its trial ended: Zoho now lets 5 calls run at once, and refuses the sixth (429, code 1070).
    const zoho = sandboxZoho(tenant.id);
    zoho.store.organizations.get(organizationId)!.details.plan = "free";
    zoho.faults.latencyMs = 50;

    await Promise.all(Array.from({ length: 8 }, () => books.organization(organizationId)));

    expect(zoho.peaks.rejected429).toBeGreaterThan(0);
    expect(await getZohoConnection(db, { tenantId: tenant.id })).toMatchObject({ organizationPlan: null });
    expect((await booksClientForTenant(db, tenant.id)).concurrency).toBe(5);
  });

  it("refuses a tampered, replayed, expired or someone else's state, and an unknown accounts server", async () => {
    const { db } = database;
    const first = await started();
    const redirect = await consentRedirect(first.tenant.id, first.url);
    const tampered = new URLSearchParams(redirect.searchParams);
    tampered.set("state", `${tampered.get("state")!.split(".")[0]}.forged`);
    await expect(completeZohoConnect(db, { actor: first.actor, query: tampered, origin: ORIGIN })).rejects.toThrow(
      "did not carry a valid state",
    );

    const stranger = await makePerson(db, "stranger");
    await expect(
      completeZohoConnect(db, {
        actor: { id: stranger.id, email: stranger.email },
        query: redirect.searchParams,
        origin: ORIGIN,
      }),
    ).rejects.toThrow("belongs to someone else");

    const foreignServer = new URLSearchParams(redirect.searchParams);
    foreignServer.set("accounts-server", "https://accounts.evil.example");
    await expect(completeZohoConnect(db, { actor: first.actor, query: foreignServer, origin: ORIGIN })).rejects.toThrow(
      "https://accounts.evil.example is not a Zoho accounts server",
    );
    // The refused attempt used the state: the genuine answer can't be replayed after it.
    await expect(
      completeZohoConnect(db, { actor: first.actor, query: redirect.searchParams, origin: ORIGIN }),
    ).rejects.toThrow("already used");
    expect(await getZohoConnection(db, { tenantId: first.tenant.id })).toBeUndefined();

    const late = await started();
    const lateRedirect = await consentRedirect(late.tenant.id, late.url);
    await expect(
      completeZohoConnect(db, {
        actor: late.actor,
        query: lateRedirect.searchParams,
        origin: ORIGIN,
        now: new Date(Date.now() + OAUTH_STATE_TTL_MS + 1000),
      }),
    ).rejects.toThrow("expired");
  });
});

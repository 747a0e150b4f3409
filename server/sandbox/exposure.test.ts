// What the sandbox must not give away: a redirect to anywhere but the app's callback, its data to the signed-out
// internet or to another tenant, or a place for a real Splynx's customers (or a real Zoho organization for simulated
// ones).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { memberships } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_ZOHO, sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { routeSession as session } from "./testing/route-session";

// The routes read the session through currentPerson and the database through getDb; the test decides both.
vi.mock("@/server/auth/current-person", () => import("./testing/route-session"));
vi.mock("@/db/client", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getDb: (await import("./testing/route-session")).getDb,
}));
const zohoRoute = await import("@/app/sandbox/[slug]/zoho/[...path]/route");
const splynxRoute = await import("@/app/sandbox/[slug]/splynx/[...path]/route");

const database = registerTestDatabase();
const ORIGIN = "http://localhost:3000";
const CALLBACK = `${ORIGIN}/api/zoho/callback`;
const NO_SANDBOX = { message: "No sandbox of yours at this address." };
beforeEach(() => {
  session.person = null;
  session.db = database.db;
});

/** A request to a tenant's sandbox route over HTTP, as the browser of whoever `session.person` is sends it. */
function sandboxRequest(slug: string, simulator: "zoho" | "splynx", path: string, init: RequestInit = {}) {
  const request = new Request(`${ORIGIN}/sandbox/${slug}/${simulator}/${path}`, init);
  const route = simulator === "zoho" ? zohoRoute : splynxRoute;
  const handler = request.method === "POST" ? route.POST : route.GET;
  return handler(request, { params: Promise.resolve({ slug }) });
}

const consentForm = (redirectUri: string) =>
  new URLSearchParams({
    client_id: SANDBOX_ZOHO.app.clientId,
    redirect_uri: redirectUri,
    scope: "ZohoBooks.contacts.ALL,ZohoBooks.settings.READ",
    access_type: "offline",
    state: "s",
    decision: "accept",
    user: "books-admin@sandbox.example",
  });

const postForm = (body: URLSearchParams) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body,
});

/** Consents and exchanges the code on a tenant's sandbox over HTTP, as another integration would: its access token. */
async function zohoTokenOver(slug: string): Promise<string> {
  const consent = await sandboxRequest(slug, "zoho", "oauth/v2/auth", postForm(consentForm(CALLBACK)));
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const { clientId, clientSecret } = SANDBOX_ZOHO.app;
  const exchange = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: CALLBACK,
    client_id: clientId,
    client_secret: clientSecret,
  });
  const token = await sandboxRequest(slug, "zoho", "oauth/v2/token", postForm(exchange));
  return ((await token.json()) as { access_token: string }).access_token;
}

const books = (token: string) => ({ authorization: `Zoho-oauthtoken ${token}`, "content-type": "application/json" });

describe("the sandbox", () => {
  it("redirects from its consent page only to the app's own callback, refusing every other target", async () => {
    const person = await makePerson(database.db, "admin");
    const tenant = await makeTenant(database.db, person);
    session.person = person;
    const targets = [
      "https://evil.example/steal",
      "//evil.example/api/zoho/callback",
      "http://localhost:3000.evil.example/api/zoho/callback",
      "http://localhost:3000/logout",
      "/\t/evil.example",
    ];
    for (const target of targets) {
      const query = consentForm(target);
      const shown = await sandboxRequest(tenant.slug, "zoho", `oauth/v2/auth?${query}`);
      const accepted = await sandboxRequest(tenant.slug, "zoho", "oauth/v2/auth", postForm(query));
      for (const response of [shown, accepted]) {
        expect([response.status, response.headers.get("location"), target]).toEqual([400, null, target]);
        expect(await response.text()).toBe("<h1>Invalid Redirect Uri</h1>");
      }
    }
    const accepted = await sandboxRequest(tenant.slug, "zoho", "oauth/v2/auth", postForm(consentForm(CALLBACK)));
    expect(accepted.status).toBe(302);
    expect(new URL(accepted.headers.get("location")!).origin).toBe(ORIGIN);
  });

  it("serves its Zoho and Splynx over HTTP only to people signed in", async () => {
    const person = await makePerson(database.db, "admin");
    const tenant = await makeTenant(database.db, person);
    const organizations = () => sandboxRequest(tenant.slug, "zoho", "books/v3/organizations");
    const customers = () =>
      sandboxRequest(tenant.slug, "splynx", "api/2.0/admin/customers/customer", {
        headers: { authorization: `Basic ${Buffer.from("any:any").toString("base64")}` },
      });
    for (const answer of [await organizations(), await customers()]) {
      expect(answer.status).toBe(401);
      expect(await answer.json()).toEqual({ message: "Sign in to Ledgerlink to use its sandbox." });
    }
    const recordPath = "app/2646610000000000001/contacts/1";
    const page = await sandboxRequest(tenant.slug, "zoho", recordPath, { headers: { accept: "text/html" } });
    expect([page.status, page.headers.get("location")]).toEqual([
      303,
      `${ORIGIN}/login?callbackUrl=${encodeURIComponent(`/sandbox/${tenant.slug}/zoho/${recordPath}`)}`,
    ]);

    session.person = person;
    // Signed in, the simulators answer for themselves: Zoho's 14 without a token, Splynx's 401 for a key it lacks.
    expect(await (await organizations()).json()).toMatchObject({ code: 14 });
    expect(await (await customers()).json()).toMatchObject({ error: { internal_code: "UNAUTHORIZED" } });
  });

  it("keeps each tenant's sandbox to its own members: another tenant's admin reads, changes and redeems nothing", async () => {
    const { db } = database;
    const victim = await sandboxTenant(db);
    const attacker = await sandboxTenant(db);
    const [organization] = await victim.caller.zoho.organizations({ tenantSlug: victim.tenant.slug });
    const victimOrg = organization!.organizationId;

    session.person = victim.person;
    const victimToken = await zohoTokenOver(victim.tenant.slug);
    const secret = { contact_name: "Bravo Private Customer", contact_type: "customer" };
    const created = await sandboxRequest(victim.tenant.slug, "zoho", `books/v3/contacts?organization_id=${victimOrg}`, {
      method: "POST",
      headers: books(victimToken),
      body: JSON.stringify(secret),
    });
    expect(created.status).toBe(201);
    const contactId = ((await created.json()) as { contact: { contact_id: string } }).contact.contact_id;
    const victimContacts = () => [...sandboxZoho(victim.tenant.id).store.organizations.get(victimOrg)!.contacts.keys()];
    const before = victimContacts();

    // The attacker, signed in, aims every door at the victim's sandbox: it answers as if there were none.
    session.person = attacker.person;
    const splynxAuth = `Basic ${Buffer.from(`${SANDBOX_SPLYNX_KEYS.full.key}:${SANDBOX_SPLYNX_KEYS.full.secret}`).toString("base64")}`;
    const attempts = [
      sandboxRequest(victim.tenant.slug, "zoho", `app/${victimOrg}/contacts/${contactId}`),
      sandboxRequest(victim.tenant.slug, "zoho", "books/v3/organizations", { headers: books(victimToken) }),
      sandboxRequest(victim.tenant.slug, "zoho", `books/v3/contacts?organization_id=${victimOrg}`, {
        method: "POST",
        headers: books(victimToken),
        body: JSON.stringify({ contact_name: "Planted by Mallory", contact_type: "customer" }),
      }),
      sandboxRequest(victim.tenant.slug, "zoho", "oauth/v2/auth", postForm(consentForm(CALLBACK))),
      sandboxRequest(victim.tenant.slug, "splynx", "api/2.0/admin/customers/customer", {
        headers: { authorization: splynxAuth },
      }),
      sandboxRequest("no-such-tenant", "zoho", "books/v3/organizations"),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual(NO_SANDBOX);
    }
    // The victim's token, carried to the attacker's own sandbox, is a token that sandbox never issued.
    const replayed = await sandboxRequest(attacker.tenant.slug, "zoho", "books/v3/organizations", {
      headers: books(victimToken),
    });
    expect([replayed.status, ((await replayed.json()) as { code: number }).code]).toEqual([401, 57]);

    // Through the app, the attacker's own tenant loads its own sandbox's contacts: the victim's is not among them.
    await attacker.caller.pairing.load({ tenantSlug: attacker.tenant.slug });
    expect(await attacker.caller.pairing.search({ tenantSlug: attacker.tenant.slug, text: "Bravo Private" })).toEqual(
      [],
    );
    expect(victimContacts()).toEqual(before);
    await victim.caller.pairing.load({ tenantSlug: victim.tenant.slug });
    expect(await victim.caller.pairing.search({ tenantSlug: victim.tenant.slug, text: "Bravo Private" })).toEqual([
      expect.objectContaining({ contactId }),
    ]);
  });

  it("lets a viewer open the record pages of its tenant's sandbox, and only admins consent or call its APIs", async () => {
    const { db } = database;
    const { tenant } = await sandboxTenant(db);
    const viewer = await makePerson(db, "viewer");
    await db.insert(memberships).values({ tenantId: tenant.id, personId: viewer.id, role: "viewer" });
    session.person = viewer;
    const [organization] = sandboxZoho(tenant.id).store.organizations.values();
    const [contact] = organization!.contacts.values();
    const record = await sandboxRequest(tenant.slug, "zoho", `app/${organization!.id}/contacts/${contact!.contact_id}`);
    expect(record.status).toBe(200);
    expect(await record.text()).toContain(`contacts · ${contact!.contact_id}`);
    for (const refused of [
      await sandboxRequest(tenant.slug, "zoho", "oauth/v2/auth", postForm(consentForm(CALLBACK))),
      await sandboxRequest(tenant.slug, "splynx", "api/2.0/admin/customers/customer"),
      // A Splynx path that merely contains /zoho/app/ is no record page.
      await sandboxRequest(tenant.slug, "splynx", "api/2.0/zoho/app/admin/customers/customer"),
    ]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: "The sandbox needs the admin role; you are viewer." });
    }
  });

  it("refuses a real Splynx with the sandbox Zoho, and the sandbox Zoho with a real Splynx, on the field", async () => {
    const { db } = database;
    const { tenant, caller } = await sandboxTenant(db);
    await expect(
      caller.splynx.save({
        tenantSlug: tenant.slug,
        baseUrl: "https://isp.example.net",
        authMode: "signature",
        apiKey: "real-key",
        apiSecret: "real-secret",
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("A real Splynx's customers must not go to the sandbox Zoho Books"),
      cause: { field: "baseUrl" },
    });

    const owner = await makePerson(db, "owner");
    const real = await makeTenant(db, owner);
    const ownerCaller = callerFor(db, owner);
    await ownerCaller.splynx.save({
      tenantSlug: real.slug,
      baseUrl: "https://isp.example.net",
      authMode: "signature",
      apiKey: "real-key",
      apiSecret: "real-secret",
    });
    await expect(ownerCaller.zoho.connect({ tenantSlug: real.slug, region: "SANDBOX" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("A real Splynx's customers must not go to the sandbox Zoho Books"),
      cause: { field: "region" },
    });
    expect(
      await ownerCaller.zoho.connect({ tenantSlug: real.slug, region: "EU" }).catch((error) => error),
    ).toMatchObject({ message: expect.stringContaining("use your own application") });
  });
});

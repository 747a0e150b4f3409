// What the sandbox must not give away: a redirect to anywhere but the app's callback, its data to the signed-out
// internet, or a place for a real Splynx's customers (or a real Zoho organization for simulated ones).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_ZOHO, sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

// The routes read the session through currentPerson; the test decides who is signed in.
const session = vi.hoisted(() => ({ person: null as { id: string } | null }));
vi.mock("@/server/auth/current-person", () => ({ currentPerson: async () => session.person }));
const zohoRoute = await import("@/app/sandbox/zoho/[...path]/route");
const splynxRoute = await import("@/app/sandbox/splynx/[...path]/route");

const database = registerTestDatabase();
const ORIGIN = "http://localhost:3000";
beforeEach(() => {
  session.person = null;
});

function consentRequest(redirectUri: string, method: "GET" | "POST") {
  const params = new URLSearchParams({
    client_id: SANDBOX_ZOHO.app.clientId,
    redirect_uri: redirectUri,
    scope: "ZohoBooks.contacts.ALL",
    access_type: "offline",
    state: "s",
  });
  const url = `${ORIGIN}/sandbox/zoho/oauth/v2/auth?${params}`;
  if (method === "GET") return new Request(url);
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ decision: "accept", user: "books-admin@sandbox.example" }),
  });
}

describe("the sandbox", () => {
  it("redirects from its consent page only to the app's own callback, refusing every other target", async () => {
    const targets = [
      "https://evil.example/steal",
      "//evil.example/api/zoho/callback",
      "http://localhost:3000.evil.example/api/zoho/callback",
      "http://localhost:3000/logout",
      "/\t/evil.example",
    ];
    expect(targets).toHaveLength(5);
    for (const target of targets) {
      for (const method of ["GET", "POST"] as const) {
        const response = await sandboxZoho().handle(consentRequest(target, method));
        expect([response.status, response.headers.get("location"), target]).toEqual([400, null, target]);
        expect(await response.text()).toBe("<h1>Invalid Redirect Uri</h1>");
      }
    }
    const accepted = await sandboxZoho().handle(consentRequest(`${ORIGIN}/api/zoho/callback`, "POST"));
    expect(accepted.status).toBe(302);
    expect(new URL(accepted.headers.get("location")!).origin).toBe(ORIGIN);
  });

  it("serves its Zoho and Splynx over HTTP only to people signed in", async () => {
    const person = await makePerson(database.db);
    const organizations = () =>
      zohoRoute.GET(new Request(`${ORIGIN}/sandbox/zoho/books/v3/organizations`, { headers: { accept: "*/*" } }));
    const customers = () =>
      splynxRoute.GET(
        new Request(`${ORIGIN}/sandbox/splynx/api/2.0/admin/customers/customer`, {
          headers: { authorization: `Basic ${Buffer.from("any:any").toString("base64")}` },
        }),
      );
    for (const answer of [await organizations(), await customers()]) {
      expect(answer.status).toBe(401);
      expect(await answer.json()).toEqual({ message: "Sign in to Ledgerlink to use its sandbox." });
    }
    const page = await zohoRoute.GET(
      new Request(`${ORIGIN}/sandbox/zoho/app/2646610000000000001/contacts/1`, { headers: { accept: "text/html" } }),
    );
    expect([page.status, page.headers.get("location")]).toEqual([
      303,
      `${ORIGIN}/login?callbackUrl=${encodeURIComponent("/sandbox/zoho/app/2646610000000000001/contacts/1")}`,
    ]);

    session.person = person;
    // Signed in, the simulators answer for themselves: Zoho's 14 without a token, Splynx's 401 for a key it lacks.
    expect(await (await organizations()).json()).toMatchObject({ code: 14 });
    expect(await (await customers()).json()).toMatchObject({ error: { internal_code: "UNAUTHORIZED" } });
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

// Each tenant has its own sandbox, seeded alike: a record one tenant creates, or a token it holds, is not another's.
import { describe, expect, it } from "vitest";
import { SANDBOX_ZOHO, sandboxSplynx, sandboxZoho, sandboxZohoFetch } from "./index";

const API = `${SANDBOX_ZOHO.apiDomain}/books/v3`;
const ORIGIN = "http://localhost:3000";
const CALLBACK = `${ORIGIN}/api/zoho/callback`;

/** Consents on the tenant's sandbox consent page and exchanges the code in-process, as the app does: a token. */
async function tokenFor(tenantId: string): Promise<string> {
  const consent = await sandboxZoho(tenantId).handle(
    new Request(`${ORIGIN}/sandbox/any/zoho/oauth/v2/auth`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: SANDBOX_ZOHO.app.clientId,
        redirect_uri: CALLBACK,
        scope: "ZohoBooks.contacts.ALL,ZohoBooks.settings.READ",
        access_type: "offline",
        decision: "accept",
        user: "books-admin@sandbox.example",
      }),
    }),
  );
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const token = await sandboxZohoFetch(tenantId)(`${SANDBOX_ZOHO.accountsServer}/oauth/v2/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: CALLBACK,
      client_id: SANDBOX_ZOHO.app.clientId,
      client_secret: SANDBOX_ZOHO.app.clientSecret,
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}

async function contactsNamed(tenantId: string, token: string, organizationId: string, name: string) {
  const response = await sandboxZohoFetch(tenantId)(
    `${API}/contacts?organization_id=${organizationId}&contact_name=${encodeURIComponent(name)}`,
    { headers: { authorization: `Zoho-oauthtoken ${token}` } },
  );
  return { status: response.status, body: (await response.json()) as { code: number; contacts?: unknown[] } };
}

describe("sandboxes per tenant", () => {
  it("seeds every tenant's sandbox alike, and keeps what one tenant creates out of the other's", async () => {
    const [first, second] = ["tenant-first", "tenant-second"];
    const names = (tenantId: string) =>
      sandboxSplynx(tenantId)
        .store.customers.all()
        .map((customer) => customer.name);
    expect(sandboxSplynx(first)).not.toBe(sandboxSplynx(second));
    expect(names(first)).toEqual(names(second));
    const organizations = (tenantId: string) => [...sandboxZoho(tenantId).store.organizations.values()];
    const [organization, otherOrganization] = [organizations(first)[0]!.id, organizations(second)[0]!.id];
    expect(organizations(first).map((org) => org.details.name)).toEqual(["Demo ISP Ltd", "Demo ISP Holdings"]);
    expect(organizations(second).map((org) => org.details.name)).toEqual(["Demo ISP Ltd", "Demo ISP Holdings"]);
    // Zoho's limits are kept per organization id across tenants: a sandbox's use must not count against another's.
    expect(organization).not.toBe(otherOrganization);

    const [firstToken, secondToken] = await Promise.all([tokenFor(first), tokenFor(second)]);
    const created = await sandboxZohoFetch(first)(`${API}/contacts?organization_id=${organization}`, {
      method: "POST",
      headers: { authorization: `Zoho-oauthtoken ${firstToken}`, "content-type": "application/json" },
      body: JSON.stringify({ contact_name: "Only In First", contact_type: "customer" }),
    });
    expect(created.status).toBe(201);

    expect((await contactsNamed(first, firstToken, organization, "Only In First")).body.contacts).toHaveLength(1);
    expect((await contactsNamed(second, secondToken, otherOrganization, "Only In First")).body.contacts).toEqual([]);
    // A token is honoured only by the sandbox that issued it.
    expect(await contactsNamed(second, firstToken, otherOrganization, "Only In First")).toMatchObject({
      status: 401,
      body: { code: 57 },
    });
  });
});

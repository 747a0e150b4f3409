// A tenant connected to both sandboxes, the way an admin does it in the browser.
import type { Db } from "@/db/client";
import { makePerson, makeTenant, callerFor } from "@/db/testing/fixtures";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL, sandboxZoho } from "@/server/sandbox";
import { completeZohoConnect, SANDBOX_REGION, startZohoConnect } from "../connection";

/** Accepts on the tenant's sandbox consent page as its Zoho user; the query Zoho's redirect carries back. */
export async function sandboxConsent(tenantId: string, authorizeUrl: string): Promise<URLSearchParams> {
  const response = await sandboxZoho(tenantId).handle(
    new Request(authorizeUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision: "accept", user: "books-admin@sandbox.example" }),
    }),
  );
  return new URL(response.headers.get("location")!).searchParams;
}

export async function sandboxTenant(db: Db) {
  const person = await makePerson(db, "admin");
  const tenant = await makeTenant(db, person);
  const caller = callerFor(db, person);
  await caller.splynx.save({
    tenantSlug: tenant.slug,
    baseUrl: SANDBOX_SPLYNX_URL,
    authMode: "signature",
    apiKey: SANDBOX_SPLYNX_KEYS.full.key,
    apiSecret: SANDBOX_SPLYNX_KEYS.full.secret,
  });
  const origin = "http://localhost:3000";
  const authorize = await startZohoConnect(db, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    personId: person.id,
    region: SANDBOX_REGION,
    origin,
  });
  await completeZohoConnect(db, {
    actor: { id: person.id, email: person.email },
    query: await sandboxConsent(tenant.id, authorize),
    origin,
  });
  const [organization] = await caller.zoho.organizations({ tenantSlug: tenant.slug });
  await caller.zoho.chooseOrganization({ tenantSlug: tenant.slug, organizationId: organization!.organizationId });
  return { person, tenant, caller };
}

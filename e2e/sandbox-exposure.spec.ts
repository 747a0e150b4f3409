// An attacker against the sandbox over raw HTTP: signed out it serves nothing, signed in it serves only the sandbox of
// the person's own tenant, and its consent page sends no one to a site of the attacker's choosing.
import { expect, test } from "@playwright/test";
import { createTenant, sandboxZohoApi, signOut, signUp, uniqueEmail } from "./helpers";

const CONSENT = {
  client_id: "ledgerlink-sandbox-app",
  scope: "ZohoBooks.contacts.ALL",
  access_type: "offline",
  decision: "accept",
  user: "books-admin@sandbox.example",
};
const SECRET_CONTACT = { name: "Victoria Private-Customer", email: "victoria.private@victim.example" };

test("the sandbox serves a tenant's data to its own members only, and redirects only to the app's own callback", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signUp(page, { name: "Vera Victim", email: uniqueEmail("vera") });
  const victimSlug = await createTenant(page, "Victim Sandbox ISP");
  const victimZoho = await sandboxZohoApi(page, victimSlug, "Demo ISP Ltd");
  const contactId = await victimZoho.createContact(SECRET_CONTACT);
  const victimPaths = [
    `/sandbox/${victimSlug}/zoho/app/${victimZoho.organizationId}/contacts/${contactId}`,
    `/sandbox/${victimSlug}/zoho/books/v3/organizations`,
    `/sandbox/${victimSlug}/splynx/api/2.0/admin/customers/customer`,
  ];
  expect(await (await page.request.get(victimPaths[0]!)).text()).toContain(SECRET_CONTACT.name);
  await signOut(page);

  const stranger = await playwright.request.newContext({ baseURL });
  for (const path of [
    ...victimPaths,
    `/sandbox/${victimSlug}/zoho/oauth/v2/auth?client_id=ledgerlink-sandbox-app&redirect_uri=https://evil.example/`,
  ]) {
    const response = await stranger.get(path, { maxRedirects: 0 });
    expect([path, response.status()]).toEqual([path, 401]);
    expect(await response.text()).not.toContain("Demo ISP");
  }
  await stranger.dispose();

  await signUp(page, { name: "Sandbox Prober", email: uniqueEmail("prober") });
  const ownSlug = await createTenant(page, "Prober Net");
  // Signed in, every door into the victim's sandbox answers as if it did not exist.
  for (const path of victimPaths) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect([path, response.status()]).toEqual([path, 404]);
    expect(await response.text()).not.toContain(SECRET_CONTACT.name);
  }
  const planted = await page.request.post(
    `/sandbox/${victimSlug}/zoho/books/v3/contacts?organization_id=${victimZoho.organizationId}`,
    { data: { contact_name: "Planted by Prober", contact_type: "customer" } },
  );
  const consent = await page.request.post(`/sandbox/${victimSlug}/zoho/oauth/v2/auth`, {
    form: { ...CONSENT, redirect_uri: new URL("/api/zoho/callback", baseURL).href },
    maxRedirects: 0,
  });
  expect([planted.status(), consent.status(), consent.headers().location]).toEqual([404, 404, undefined]);

  // The prober's own sandbox is seeded like every other and holds none of the victim's records.
  const ownZoho = await sandboxZohoApi(page, ownSlug, "Demo ISP Ltd");
  const ownContacts = await ownZoho.contacts();
  expect(ownContacts.length).toBeGreaterThan(10);
  expect(ownContacts.map((contact) => contact.email)).not.toContain(SECRET_CONTACT.email);

  for (const redirect of ["https://evil.example/steal", "//evil.example/", "/\t/evil.example"]) {
    const response = await page.request.post(`/sandbox/${ownSlug}/zoho/oauth/v2/auth`, {
      form: { ...CONSENT, redirect_uri: redirect },
      maxRedirects: 0,
    });
    expect([redirect, response.status(), response.headers().location]).toEqual([redirect, 400, undefined]);
  }
  const own = await page.request.post(`/sandbox/${ownSlug}/zoho/oauth/v2/auth`, {
    form: { ...CONSENT, redirect_uri: new URL("/api/zoho/callback", baseURL).href },
    maxRedirects: 0,
  });
  expect(own.status()).toBe(302);
  expect(new URL(own.headers().location!).origin).toBe(new URL(baseURL!).origin);
});

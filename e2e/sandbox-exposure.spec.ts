// An attacker against the sandbox over raw HTTP: signed out it serves nothing, and its consent page sends no one
// (signed in or not) to a site of the attacker's choosing.
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

const CONSENT = {
  client_id: "ledgerlink-sandbox-app",
  scope: "ZohoBooks.contacts.ALL",
  access_type: "offline",
  decision: "accept",
  user: "books-admin@sandbox.example",
};

test("the sandbox serves nothing signed out and redirects only to the app's own callback", async ({
  page,
  playwright,
  baseURL,
}) => {
  const stranger = await playwright.request.newContext({ baseURL });
  for (const path of [
    "/sandbox/zoho/books/v3/organizations",
    "/sandbox/splynx/api/2.0/admin/customers/customer",
    "/sandbox/zoho/oauth/v2/auth?client_id=ledgerlink-sandbox-app&redirect_uri=https://evil.example/",
  ]) {
    const response = await stranger.get(path, { maxRedirects: 0 });
    expect([path, response.status()]).toEqual([path, 401]);
    expect(await response.text()).not.toContain("Demo ISP");
  }
  await stranger.dispose();

  await signUp(page, { name: "Sandbox Prober", email: uniqueEmail("prober") });
  for (const redirect of ["https://evil.example/steal", "//evil.example/", "/\t/evil.example"]) {
    const response = await page.request.post("/sandbox/zoho/oauth/v2/auth", {
      form: { ...CONSENT, redirect_uri: redirect },
      maxRedirects: 0,
    });
    expect([redirect, response.status(), response.headers().location]).toEqual([redirect, 400, undefined]);
  }
  const own = await page.request.post("/sandbox/zoho/oauth/v2/auth", {
    form: { ...CONSENT, redirect_uri: new URL("/api/zoho/callback", baseURL).href },
    maxRedirects: 0,
  });
  expect(own.status()).toBe(302);
  expect(new URL(own.headers().location!).origin).toBe(new URL(baseURL!).origin);
});

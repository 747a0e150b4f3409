// Shared steps for the end-to-end journeys: accounts, tenants, and calling the API from the browser's session.
import { expect, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";

export const PASSWORD = "a long enough password";

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

export async function signUp(page: Page, person: { name: string; email: string }) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((url) => url.pathname !== "/signup");
}

export async function createTenant(page: Page, name: string): Promise<string> {
  await page.goto("/tenants/new");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
  return new URL(page.url()).pathname.split("/")[2]!;
}

export async function signOut(page: Page) {
  await page.getByText(/▾/).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
}

export type ApiResult = { status: number; body: string };

/** Calls a tRPC procedure over HTTP with the page's own cookies, as a script in the browser could. */
export function callApi(page: Page, path: string, type: "query" | "mutation", input: unknown): Promise<ApiResult> {
  return page.evaluate(
    async ({ path, type, input }) => {
      const payload = JSON.stringify({ json: input });
      const response =
        type === "query"
          ? await fetch(`/api/trpc/${path}?input=${encodeURIComponent(payload)}`)
          : await fetch(`/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: payload });
      return { status: response.status, body: await response.text() };
    },
    { path, type, input },
  );
}

export async function expectStatus(result: ApiResult, status: number, code: string) {
  expect(result.status, result.body).toBe(status);
  expect(JSON.parse(result.body).error.json.data.code).toBe(code);
}

/** As the signed-in owner: creates an invite link for `email` with `role` on the members page. */
export async function inviteLink(page: Page, slug: string, email: string, role: "viewer" | "admin" | "owner"): Promise<string> {
  await page.goto(`/t/${slug}/members`);
  await page.locator("form").getByLabel("E-mail").fill(email);
  await page.locator("form").getByLabel("Role").selectOption(role);
  await page.getByRole("button", { name: "Create invite link" }).click();
  return page.getByLabel("Invite link").inputValue();
}

/** Signed out: opens the invite, creates the invited account on the way, accepts, and lands in the tenant. */
export async function joinByInvite(page: Page, link: string, person: { name: string; email: string }) {
  await page.goto(link);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByLabel("E-mail")).toHaveValue(person.email);
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await page.waitForURL(/\/t\/[a-z0-9-]+$/);
}

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** Connects the tenant to the sandbox Splynx with the full key the screen offers, and tests it. */
export async function connectSandboxSplynx(page: Page, slug: string) {
  await page.goto(`/t/${slug}/connections/splynx`);
  const details = page.getByTestId("sandbox-details");
  const detail = async (label: string) => ((await details.getByText(`${label}:`).textContent()) ?? "").split(": ")[1]!.trim();
  await page.getByLabel("Splynx URL").fill(await detail("URL"));
  await page.getByLabel("API key").fill(await detail("Full key"));
  await page.getByLabel("API secret").fill(await detail("Full secret"));
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. Test the connection to check the permissions.")).toBeVisible();
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("All checks passed")).toBeVisible();
}

/** Connects the tenant to the sandbox Zoho Books through its consent page and picks an organization. */
export async function connectSandboxZoho(page: Page, slug: string, organization: string) {
  await page.goto(`/t/${slug}/connections/zoho`);
  await page.getByLabel("Region (data centre)").selectOption("SANDBOX");
  await page.getByRole("button", { name: "Connect with Zoho Books" }).click();
  await page.getByRole("button", { name: "Accept" }).click();
  await page.getByRole("radio", { name: new RegExp(organization) }).check();
  await page.getByRole("button", { name: "Use this organization" }).click();
  await expect(page.getByTestId("zoho-organization")).toHaveText(organization);
}

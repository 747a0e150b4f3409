// Shared steps for the end-to-end journeys: accounts, tenants, and calling the API from the browser's session.
import { expect, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";

export const PASSWORD = "a long enough password";

export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

/** Signs up, then confirms the address with the outbox's link and the password, which signs the person in. */
export async function signUp(page: Page, person: { name: string; email: string }) {
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(person.name);
  await page.getByLabel("E-mail").fill(person.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await page.goto("/outbox");
  const mail = page.getByRole("listitem").filter({ hasText: `To ${person.email}` });
  await mail.filter({ hasText: "Confirm your e-mail address" }).getByRole("link").first().click();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Confirm and sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/confirm-email");
}

export async function createTenant(page: Page, name: string): Promise<string> {
  await page.goto("/tenants/new");
  await page.getByLabel("ISP name").fill(name);
  await page.getByRole("button", { name: "Create workspace" }).click();
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
          : await fetch(`/api/trpc/${path}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: payload,
            });
      return { status: response.status, body: await response.text() };
    },
    { path, type, input },
  );
}

/** A procedure's answer, which must succeed: its data, unwrapped from tRPC's envelope. */
export async function apiResult<T>(page: Page, path: string, type: "query" | "mutation", input: unknown): Promise<T> {
  const result = await callApi(page, path, type, input);
  expect(result.status, result.body).toBe(200);
  return JSON.parse(result.body).result.data.json as T;
}

export async function expectStatus(result: ApiResult, status: number, code: string) {
  expect(result.status, result.body).toBe(status);
  expect(JSON.parse(result.body).error.json.data.code).toBe(code);
}

/** As the signed-in owner: creates an invite link for `email` with `role` on the members page. */
export async function inviteLink(
  page: Page,
  slug: string,
  email: string,
  role: "viewer" | "admin" | "owner",
): Promise<string> {
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
  const detail = async (label: string) =>
    ((await details.getByText(`${label}:`).textContent()) ?? "").split(": ")[1]!.trim();
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

// The sandbox app the tenant's connection uses (server/sandbox/index.ts): a test may act as another integration with it.
const SANDBOX_ZOHO_APP = {
  clientId: "ledgerlink-sandbox-app",
  clientSecret: "sandbox-app-secret-91f3",
  user: "books-admin@sandbox.example",
};

export type ZohoContact = { contact_id: string; contact_name: string; email: string };
export type ZohoInvoice = { invoice_id: string; customer_id: string; status: string; balance: number; total: number };

/**
 * The tenant's sandbox Zoho Books through its own HTTP API, as someone typing into Zoho (or another integration) would:
 * consents through its accounts server, then reads and writes an organization's records.
 */
export async function sandboxZohoApi(page: Page, slug: string, organizationName: string) {
  const zoho = `/sandbox/${slug}/zoho`;
  // The sandbox redirects only to the app's own callback; this code is exchanged here, never sent there.
  const redirectUri = new URL("/api/zoho/callback", page.url()).href;
  const consent = await page.request.post(`${zoho}/oauth/v2/auth`, {
    form: {
      client_id: SANDBOX_ZOHO_APP.clientId,
      redirect_uri: redirectUri,
      scope: "ZohoBooks.contacts.ALL,ZohoBooks.settings.READ,ZohoBooks.invoices.READ,ZohoBooks.customerpayments.CREATE",
      access_type: "offline",
      decision: "accept",
      user: SANDBOX_ZOHO_APP.user,
    },
    maxRedirects: 0,
  });
  const code = new URL(consent.headers().location!).searchParams.get("code")!;
  const token = await page.request.post(`${zoho}/oauth/v2/token`, {
    form: {
      grant_type: "authorization_code",
      code,
      client_id: SANDBOX_ZOHO_APP.clientId,
      client_secret: SANDBOX_ZOHO_APP.clientSecret,
      redirect_uri: redirectUri,
    },
  });
  const headers = {
    authorization: `Zoho-oauthtoken ${((await token.json()) as { access_token: string }).access_token}`,
  };
  const organizations = (await (await page.request.get(`${zoho}/books/v3/organizations`, { headers })).json()) as {
    organizations: { organization_id: string; name: string }[];
  };
  const organizationId = organizations.organizations.find(
    (organization) => organization.name === organizationName,
  )!.organization_id;
  return {
    organizationId,
    async createContact(contact: { name: string; email: string }): Promise<string> {
      const response = await page.request.post(`${zoho}/books/v3/contacts?organization_id=${organizationId}`, {
        headers,
        data: {
          contact_name: contact.name,
          contact_type: "customer",
          contact_persons: [{ first_name: contact.name.split(" ")[0], email: contact.email, is_primary_contact: true }],
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      return ((await response.json()) as { contact: { contact_id: string } }).contact.contact_id;
    },
    /** The organization's invoice with this number, as Books answers it (its status, balance, ids). */
    async invoiceByNumber(number: string): Promise<ZohoInvoice> {
      const response = await page.request.get(
        `${zoho}/books/v3/invoices?organization_id=${organizationId}&invoice_number=${number}`,
        { headers },
      );
      expect(response.status(), await response.text()).toBe(200);
      const [invoice] = ((await response.json()) as { invoices: ZohoInvoice[] }).invoices;
      expect(invoice, `Zoho holds no invoice ${number}`).toBeDefined();
      return invoice!;
    },
    /** Records a customer payment in Books, as someone typing it into Zoho would; answers its id. */
    async recordPayment(payment: Record<string, unknown>): Promise<string> {
      const response = await page.request.post(`${zoho}/books/v3/customerpayments?organization_id=${organizationId}`, {
        headers,
        data: payment,
      });
      expect(response.status(), await response.text()).toBe(201);
      return ((await response.json()) as { payment: { payment_id: string } }).payment.payment_id;
    },
    /** Every contact of the organization, page by page. */
    async contacts(): Promise<ZohoContact[]> {
      const all: ZohoContact[] = [];
      for (let number = 1; ; number++) {
        const response = await page.request.get(
          `${zoho}/books/v3/contacts?organization_id=${organizationId}&per_page=200&page=${number}`,
          { headers },
        );
        expect(response.status(), await response.text()).toBe(200);
        const body = (await response.json()) as { contacts: ZohoContact[]; page_context: { has_more_page: boolean } };
        all.push(...body.contacts);
        if (!body.page_context.has_more_page) return all;
      }
    },
  };
}

/** As an admin: loads the mapping data and accepts the suggestions on every mapping screen, as the demo setup does. */
export async function mapBySuggestions(page: Page, slug: string) {
  await page.goto(`/t/${slug}/mapping`);
  await page.getByRole("button", { name: "Load mapping data" }).click();
  await expect(page.getByText(/^Loaded \d+ records\.$/)).toBeVisible();
  for (const screen of ["Accounting categories", "Bank accounts", "Tax rates", "Payment modes"]) {
    await page.getByRole("navigation", { name: "Mapping screens" }).getByRole("link", { name: screen }).click();
    await expect(page.getByRole("link", { name: screen })).toHaveAttribute("aria-current", "page");
    await page.getByRole("button", { name: "Accept suggestions" }).click();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  }
}

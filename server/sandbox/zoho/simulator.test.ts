import { beforeEach, describe, expect, it } from "vitest";
import { createZohoSimulator, type ZohoSimulator } from "./simulator";
import type { ZohoJson } from "./testing/books-session";

const ACCOUNTS = "https://accounts.sim.test";
const API = "https://api.sim.test";
const ORG = "2646610000000000001";
const FREE_ORG = "3719820000000000001";
let clock = Date.UTC(2026, 10, 2, 9);
let zoho: ZohoSimulator;

beforeEach(() => {
  clock = Date.UTC(2026, 10, 2, 9);
  zoho = createZohoSimulator({
    accountsServer: ACCOUNTS,
    apiDomain: API,
    now: () => clock,
    windowMs: 1000,
    checkResponses: true,
    contacts: [{ name: "Zoë O'Brien", email: "zoe@example.net" }],
    clients: [{ clientId: "client-1", clientSecret: "secret-1", redirectUris: ["https://app.test/callback"] }],
  });
});

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

async function consent(decision: "accept" | "reject", accessType = "offline", scope = "ZohoBooks.fullaccess.all") {
  const query = form({
    client_id: "client-1",
    redirect_uri: "https://app.test/callback",
    scope,
    response_type: "code",
    access_type: accessType,
    prompt: "consent",
    state: "s1",
  });
  const authorize = `${ACCOUNTS}/oauth/v2/auth?${query}`;
  const page = await zoho.handle(new Request(authorize));
  expect(await page.text()).toContain("Accept");
  const response = await zoho.handle(
    new Request(authorize, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ decision, user: "books-admin@sandbox.example" }),
    }),
  );
  return new URL(response.headers.get("location")!);
}

async function tokens(scope?: string) {
  const redirect = await consent("accept", "offline", scope);
  const response = await zoho.handle(
    new Request(
      `${ACCOUNTS}/oauth/v2/token?${form({ grant_type: "authorization_code", client_id: "client-1", client_secret: "secret-1", redirect_uri: "https://app.test/callback", code: redirect.searchParams.get("code")! })}`,
      { method: "POST" },
    ),
  );
  return (await response.json()) as {
    access_token: string;
    refresh_token: string;
    api_domain: string;
    expires_in: number;
  };
}

async function books(token: string, method: string, path: string, body?: unknown, org = ORG) {
  const separator = path.includes("?") ? "&" : "?";
  const response = await zoho.handle(
    new Request(`${API}/books/v3${path}${path === "/organizations" ? "" : `${separator}organization_id=${org}`}`, {
      method,
      headers: { authorization: `Zoho-oauthtoken ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as ZohoJson };
}

describe("Zoho accounts server", () => {
  it("runs the authorization-code flow with Zoho's redirect parameters and token bodies", async () => {
    const redirect = await consent("accept");
    expect(Object.fromEntries(redirect.searchParams)).toMatchObject({
      state: "s1",
      location: "us",
      "accounts-server": ACCOUNTS,
      code: expect.stringMatching(/^1000\./),
    });
    const code = redirect.searchParams.get("code")!;
    const exchange = (extra: Record<string, string>) =>
      zoho.handle(
        new Request(`${ACCOUNTS}/oauth/v2/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form({
            grant_type: "authorization_code",
            client_id: "client-1",
            client_secret: "secret-1",
            redirect_uri: "https://app.test/callback",
            code,
            ...extra,
          }),
        }),
      );
    expect(await (await exchange({ client_secret: "wrong" })).json()).toEqual({ error: "invalid_client_secret" });
    const granted = await exchange({});
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      api_domain: API,
      token_type: "Bearer",
      expires_in: 3600,
    });
    const reused = await exchange({});
    expect([reused.status, await reused.json()]).toEqual([200, { error: "invalid_code" }]);
    expect(Object.fromEntries((await consent("reject")).searchParams)).toEqual({ state: "s1", error: "access_denied" });
  });

  it("refreshes without a new refresh token, throttles the eleventh request in ten minutes, and revokes", async () => {
    const { refresh_token } = await tokens();
    const refresh = () =>
      zoho.handle(
        new Request(
          `${ACCOUNTS}/oauth/v2/token?${form({ grant_type: "refresh_token", client_id: "client-1", client_secret: "secret-1", refresh_token })}`,
          { method: "POST" },
        ),
      );
    for (let index = 0; index < 10; index++) expect(await (await refresh()).json()).not.toHaveProperty("refresh_token");
    const throttled = await refresh();
    expect([throttled.status, await throttled.json()]).toEqual([
      400,
      {
        error_description: "You have made too many requests continuously. Please try again after some time.",
        error: "Access Denied",
        status: "failure",
      },
    ]);
    clock += 600_001;
    expect((await (await refresh()).json()).access_token).toMatch(/^\S{20,}$/);
    await zoho.handle(new Request(`${ACCOUNTS}/oauth/v2/token/revoke?token=${refresh_token}`, { method: "POST" }));
    expect(await (await refresh()).json()).toEqual({ error: "invalid_code" });
  });
});

describe("Zoho Books API", () => {
  it("refuses missing and bad tokens, and foreign or removed organizations, with Zoho's codes", async () => {
    const noHeader = await zoho.handle(new Request(`${API}/books/v3/contacts?organization_id=${ORG}`));
    expect([noHeader.status, ((await noHeader.json()) as { code: number }).code]).toEqual([401, 14]);
    expect((await books("1000.bad.token", "GET", "/contacts")).body).toEqual({
      code: 57,
      message: "You are not authorized to perform this operation",
    });
    const { access_token } = await tokens();
    expect((await books(access_token, "GET", "/contacts", undefined, "999")).body).toEqual({
      code: 6041,
      message: "This user is not associated with the CompanyID/CompanyName:999.",
    });
    expect(
      (await books(access_token, "GET", "/organizations")).body.organizations.map((org: { name: string }) => org.name),
    ).toEqual(["Demo ISP Ltd", "Demo ISP Holdings"]);
    zoho.removeOrganization(FREE_ORG);
    expect((await books(access_token, "GET", "/contacts", undefined, FREE_ORG)).body.code).toBe(6041);
    expect(
      (await books(access_token, "GET", "/organizations")).body.organizations.map((org: { name: string }) => org.name),
    ).toEqual(["Demo ISP Ltd"]);
  });

  it("checks the token's scopes per operation as the files' security blocks name them, answering 57", async () => {
    const { access_token } = await tokens("ZohoBooks.contacts.READ,zohobooks.invoices.all");
    const statusOf = async (method: string, path: string, body?: unknown) =>
      (await books(access_token, method, path, body)).body.code;
    expect(await statusOf("GET", "/contacts")).toBe(0);
    expect(await statusOf("POST", "/contacts", { contact_name: "Refused" })).toBe(57);
    expect(await statusOf("GET", "/invoices")).toBe(0);
    // Items and organizations are guarded by the settings family, payments by their own.
    expect(await statusOf("GET", "/items")).toBe(57);
    expect(await statusOf("GET", "/customerpayments")).toBe(57);
    expect((await books(access_token, "GET", "/organizations")).body).toEqual({
      code: 57,
      message: "You are not authorized to perform this operation",
    });
    expect([...zoho.store.organizations.get(ORG)!.contacts.values()].map((contact) => contact.contact_name)).toEqual([
      "Zoë O'Brien",
    ]);
  });

  it("orders invoice lists by the sort_column and sort_order asked for, and by created_time otherwise", async () => {
    const { access_token } = await tokens();
    const [contact] = (await books(access_token, "GET", "/contacts")).body.contacts;
    const [item] = (await books(access_token, "GET", "/items")).body.items;
    for (const [number, rate] of [
      ["INV-B", 30],
      ["INV-C", 10],
      ["INV-A", 20],
    ] as const) {
      clock += 1000;
      const invoice = { customer_id: contact.contact_id, invoice_number: number, date: "2026-11-01" };
      const line_items = [{ item_id: item.item_id, rate, quantity: 1 }];
      const created = await books(access_token, "POST", "/invoices?ignore_auto_number_generation=true", {
        ...invoice,
        line_items,
      });
      expect(created.status).toBe(201);
    }
    const numbers = async (query: string) =>
      (await books(access_token, "GET", `/invoices${query}`)).body.invoices.map(
        (invoice: { invoice_number: string }) => invoice.invoice_number,
      );
    expect(await numbers("")).toEqual(["INV-B", "INV-C", "INV-A"]);
    expect(await numbers("?sort_column=invoice_number")).toEqual(["INV-A", "INV-B", "INV-C"]);
    expect(await numbers("?sort_column=total&sort_order=D")).toEqual(["INV-B", "INV-A", "INV-C"]);
    expect(await numbers("?sort_column=created_time&sort_order=D")).toEqual(["INV-A", "INV-C", "INV-B"]);
  });

  it("limits calls per minute (44), per day (45) and in flight (1070), with the rate headers", async () => {
    const { access_token } = await tokens();
    const first = await books(access_token, "GET", "/items");
    expect(first.headers.get("X-Rate-Limit-Limit")).toBe("5000");
    expect(first.headers.get("X-Rate-Limit-Remaining")).toBe("4999");
    for (let index = 1; index < 100; index++) await books(access_token, "GET", "/items");
    expect((await books(access_token, "GET", "/items")).body.code).toBe(44);
    clock += 1001;
    expect((await books(access_token, "GET", "/items")).status).toBe(200);

    zoho.spendDailyQuota(FREE_ORG, 1000);
    expect(await books(access_token, "GET", "/items", undefined, FREE_ORG)).toMatchObject({
      status: 429,
      body: {
        code: 45,
        message: "The API call for this organization has exceeded the maximum call rate limit of 1000.",
      },
    });

    zoho.faults.latencyMs = 30;
    const burst = await Promise.all(Array.from({ length: 12 }, () => books(access_token, "GET", "/items")));
    expect(burst.filter((response) => response.body.code === 1070)).toHaveLength(2);
  });

  it("computes totals the Zoho way, refuses a duplicate number, and keeps list summaries lean", async () => {
    const { access_token } = await tokens();
    const [contact] = (await books(access_token, "GET", "/contacts")).body.contacts;
    const items = (await books(access_token, "GET", "/items")).body.items;
    const taxes = (await books(access_token, "GET", "/settings/taxes")).body.taxes;
    const vat10 = taxes.find((tax: { tax_name: string }) => tax.tax_name === "VAT 20%");
    const invoice = {
      customer_id: contact.contact_id,
      invoice_number: "202611000001",
      date: "2026-11-01",
      line_items: [{ item_id: items[0].item_id, rate: 54.54545, quantity: 1, tax_id: vat10.tax_id }],
      adjustment: -0.01,
    };
    expect((await books(access_token, "POST", "/invoices", invoice)).body.message).toContain(
      "ignore_auto_number_generation",
    );
    const created = await books(access_token, "POST", "/invoices?ignore_auto_number_generation=true", invoice);
    expect(created.status).toBe(201);
    expect(created.body.invoice).toMatchObject({
      invoice_number: "202611000001",
      sub_total: 54.55,
      tax_total: 10.91,
      total: 65.45,
      balance: 65.45,
      status: "draft",
      line_items: [{ rate: 54.55, item_total: 54.55 }],
    });
    expect(typeof created.body.invoice.invoice_id).toBe("string");
    expect(
      (await books(access_token, "POST", "/invoices?ignore_auto_number_generation=true", invoice)).body,
    ).toMatchObject({ code: 1001 });
    const list = (await books(access_token, "GET", "/invoices?invoice_number=202611000001")).body;
    expect(list.invoices).toHaveLength(1);
    expect(list.invoices[0]).not.toHaveProperty("line_items");
    expect(list.page_context).toMatchObject({ page: 1, per_page: 200, has_more_page: false });
    const numeric = await books(access_token, "POST", "/invoices?ignore_auto_number_generation=true", {
      ...invoice,
      invoice_number: "x",
      customer_id: 123,
    });
    expect(numeric).toMatchObject({
      status: 400,
      body: { code: 2, message: "Invalid value passed for /customer_id: must be string" },
    });
  });

  it("moves balances and statuses with payments and credits, keeps excess as credit, and voids", async () => {
    const { access_token } = await tokens();
    const [contact] = (await books(access_token, "GET", "/contacts")).body.contacts;
    const [item] = (await books(access_token, "GET", "/items")).body.items;
    const invoice = (
      await books(access_token, "POST", "/invoices?ignore_auto_number_generation=true", {
        customer_id: contact.contact_id,
        invoice_number: "A-1",
        line_items: [{ item_id: item.item_id, rate: 100, quantity: 1 }],
      })
    ).body.invoice;
    expect(
      (
        await books(access_token, "POST", "/customerpayments", {
          customer_id: contact.contact_id,
          payment_mode: "cash",
          amount: 10,
          date: "2026-11-02",
          invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 10 }],
        })
      ).body.message,
    ).toBe("Payments cannot be applied to draft invoices.");
    await books(access_token, "POST", `/invoices/${invoice.invoice_id}/status/sent`);
    const payment = (
      await books(access_token, "POST", "/customerpayments", {
        customer_id: contact.contact_id,
        payment_mode: "banktransfer",
        amount: 70,
        date: "2026-11-02",
        reference_number: "R-1",
        invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 60 }],
      })
    ).body.payment;
    expect(payment).toMatchObject({ amount: 70, unused_amount: 10 });
    expect((await books(access_token, "GET", `/invoices/${invoice.invoice_id}`)).body.invoice).toMatchObject({
      status: "partially_paid",
      balance: 40,
      payment_made: 60,
    });
    const note = (
      await books(access_token, "POST", "/creditnotes?ignore_auto_number_generation=true", {
        customer_id: contact.contact_id,
        creditnote_number: "CN-1",
        date: "2026-11-02",
        line_items: [{ item_id: item.item_id, rate: 40, quantity: 1 }],
      })
    ).body.creditnote;
    await books(access_token, "POST", `/creditnotes/${note.creditnote_id}/invoices`, {
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 40 }],
    });
    expect((await books(access_token, "GET", `/invoices/${invoice.invoice_id}`)).body.invoice).toMatchObject({
      status: "paid",
      balance: 0,
      credits_applied: 40,
    });
    expect((await books(access_token, "GET", `/creditnotes/${note.creditnote_id}`)).body.creditnote).toMatchObject({
      status: "closed",
      balance: 0,
    });
    expect(
      (
        await books(access_token, "PUT", `/invoices/${invoice.invoice_id}`, {
          customer_id: contact.contact_id,
          notes: "late edit",
          line_items: [{ item_id: item.item_id, rate: 100, quantity: 1 }],
        })
      ).body.code,
    ).toBe(1067);
    await books(access_token, "POST", `/invoices/${invoice.invoice_id}/status/void`);
    expect((await books(access_token, "GET", `/customerpayments/${payment.payment_id}`)).body.payment).toMatchObject({
      unused_amount: 70,
      invoices: [],
    });
  });

  it("replaces contact persons on update and lists contacts without them", async () => {
    const { access_token } = await tokens();
    const created = (
      await books(access_token, "POST", "/contacts", {
        contact_name: "Søren Nørgaard",
        contact_persons: [
          { first_name: "Søren", email: "s@example.net", is_primary_contact: true },
          { first_name: "Ida", email: "ida@example.net" },
        ],
      })
    ).body.contact;
    const [primary] = created.contact_persons;
    const updated = (
      await books(access_token, "PUT", `/contacts/${created.contact_id}`, {
        contact_name: "Søren Nørgaard",
        contact_persons: [
          {
            contact_person_id: primary.contact_person_id,
            first_name: "Søren",
            email: "soren@example.net",
            is_primary_contact: true,
          },
        ],
      })
    ).body.contact;
    expect(updated.contact_persons).toHaveLength(1);
    const listed = (await books(access_token, "GET", "/contacts?email=soren@example.net")).body.contacts;
    expect(listed).toEqual([expect.objectContaining({ contact_name: "Søren Nørgaard", email: "soren@example.net" })]);
    expect(listed[0]).not.toHaveProperty("contact_persons");
  });
});

// The Books client with the shared limiter and token refresh, against the Zoho simulator over HTTP and a real database.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { getZohoConnection } from "@/db/queries/zoho";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ZohoBooksClient } from "./books";
import { ZohoLimiter, ZOHO_LIMITS } from "./limiter";
import { connectedTenant, FIXTURE_APP, ORGANIZATION, startZoho } from "./testing/zoho-fixture";
import { accessToken } from "./tokens";

const database = registerTestDatabase();
let zoho: Awaited<ReturnType<typeof startZoho>>;
beforeAll(async () => {
  zoho = await startZoho();
});
afterAll(() => zoho.server.close());

function clientFor(
  tenantId: string,
  options: { perWindow?: number; organizationId?: string; simulator?: typeof zoho } = {},
) {
  const { db } = database;
  const limiter = new ZohoLimiter(db, {
    ...ZOHO_LIMITS,
    perWindow: options.perWindow ?? 100,
    windowMs: 60_000,
    concurrency: 10,
  });
  // The test's last slots are handed back before the next test (and before the database closes).
  onTestFinished(() => limiter.settle());
  const context = { db, tenantId, appFor: () => FIXTURE_APP, fetchFor: () => fetch };
  return new ZohoBooksClient({
    apiDomain: (options.simulator ?? zoho).url,
    organizationId: options.organizationId ?? ORGANIZATION,
    accessToken: (force) => accessToken(context, force),
    limiter,
    backoffMs: 5,
    rateLimitPauseMs: 400,
  });
}

const refreshes = () => zoho.simulator.calls.get("POST /oauth/v2/token (refresh)") ?? 0;

describe("ZohoBooksClient", () => {
  it("refreshes an expired access token exactly once for twenty concurrent calls", async () => {
    const { tenant } = await connectedTenant(database.db, zoho.url, { expired: true });
    const before = refreshes();
    const books = clientFor(tenant.id);
    const results = await Promise.all(Array.from({ length: 20 }, () => books.items()));
    expect(results.every((items) => items.length === 7)).toBe(true);
    expect(refreshes() - before).toBe(1);
  });

  it("refreshes once when Zoho answers 57, then fails clearly if it answers 57 again", async () => {
    const { tenant } = await connectedTenant(database.db, zoho.url);
    const books = clientFor(tenant.id);
    zoho.simulator.store.accessTokens.clear();
    const before = refreshes();
    expect(await books.currencies()).toHaveLength(3);
    expect(refreshes() - before).toBe(1);
    // A token whose scopes no longer cover the call: 57 again after the refresh.
    const { store } = zoho.simulator;
    for (const token of [...store.accessTokens.values(), ...store.refreshTokens.values()])
      token.scope = "ZohoBooks.contacts.READ";
    await expect(books.items()).rejects.toMatchObject({
      kind: "unauthorized",
      message: "You are not authorized to perform this operation",
      details: { code: 57 },
    });
    expect(refreshes() - before).toBe(2);
  });

  it("tells a removed organization from a refused token: one call, no refresh or retry, a clear reason", async () => {
    const own = await startZoho();
    onTestFinished(() => own.server.close());
    const { tenant } = await connectedTenant(database.db, own.url);
    const books = clientFor(tenant.id, { organizationId: "3719820000000000001", simulator: own });
    own.simulator.removeOrganization("3719820000000000001");
    await expect(books.items()).rejects.toMatchObject({
      name: "ZohoError",
      kind: "organization_gone",
      retryable: false,
      message:
        "The Zoho organization is no longer reachable with this connection: it was removed, or the connected Zoho " +
        'user lost access to it (Zoho: "This user is not associated with the CompanyID/CompanyName:' +
        '3719820000000000001."). Reconnect Zoho Books with a user of the organization, or choose another.',
      details: { code: 6041 },
    });
    expect(books.calls).toBe(1);
    expect(own.simulator.calls.get("POST /oauth/v2/token (refresh)")).toBeUndefined();
  });

  it("marks the connection 'needs reconnect' when Zoho rejects the refresh token", async () => {
    const { tenant, grant } = await connectedTenant(database.db, zoho.url, { expired: true });
    zoho.simulator.store.refreshTokens.get(grant.refreshToken!)!.revoked = true;
    await expect(clientFor(tenant.id).items()).rejects.toMatchObject({
      name: "ZohoError",
      message: expect.stringContaining("needs reconnecting"),
    });
    expect(await getZohoConnection(database.db, { tenantId: tenant.id })).toMatchObject({
      state: "needs_reconnect",
      stateReason: expect.stringContaining("invalid_code"),
    });
  });

  it("waits and retries when Zoho refuses with 44, and stops cleanly with 45 without calling again", async () => {
    const { tenant } = await connectedTenant(database.db, zoho.url);
    const generous = clientFor(tenant.id, { perWindow: 1000 });
    // Another integration spent this minute's calls; they leave the window 200 ms from now, before the pause ends.
    zoho.simulator.store.organizations.get(ORGANIZATION)!.limits.recent = Array.from(
      { length: 100 },
      () => Date.now() - 59_800,
    );
    expect(await generous.taxes()).toHaveLength(5);
    expect(generous.calls).toBe(2);

    const free = clientFor(tenant.id, { organizationId: "3719820000000000001" });
    zoho.simulator.spendDailyQuota("3719820000000000001", 1000);
    await expect(free.items()).rejects.toMatchObject({ kind: "daily_quota", details: { code: 45 } });
    const sent = free.calls;
    await expect(free.items()).rejects.toMatchObject({ kind: "daily_quota" });
    expect(free.calls).toBe(sent);
  });

  it("reads every customer exactly once while contacts are created between its pages", async () => {
    const contacts = Array.from({ length: 450 }, (_, index) => ({
      name: `Customer ${String(index).padStart(3, "0")}`,
      email: `customer${index}@example.net`,
    }));
    const own = await startZoho({ contacts });
    onTestFinished(() => own.server.close());
    const { tenant } = await connectedTenant(database.db, own.url);
    const books = clientFor(tenant.id, { simulator: own });
    const read: string[] = [];
    for await (const page of books.customers()) {
      read.push(...page.map((contact) => String(contact.contact_id)));
      // Another integration (or a sync) adds a contact whose name sorts before every other.
      await books.createContact({ contact_name: `Aaron ${read.length}`, contact_type: "customer" });
    }
    const seeded = [...own.simulator.store.organizations.get(ORGANIZATION)!.contacts.values()]
      .filter((contact) => String(contact.contact_name).startsWith("Customer "))
      .map((contact) => String(contact.contact_id));
    expect(seeded).toHaveLength(450);
    expect(new Set(read).size).toBe(read.length);
    expect(seeded.filter((id) => !read.includes(id))).toEqual([]);
  });

  it("sends only bodies Zoho's OpenAPI files accept, and keeps ids as strings", async () => {
    const { tenant } = await connectedTenant(database.db, zoho.url);
    const books = clientFor(tenant.id);
    const [item] = await books.items();
    const [tax] = await books.taxes();
    const [account] = await books.bankAccounts();
    const contact = await books.createContact({
      contact_name: "Łukasz Kowalski",
      company_name: "",
      contact_type: "customer",
      billing_address: { address: "1 Ulica Długa", city: "Kraków", zip: "31-001" },
      contact_persons: [
        { first_name: "Łukasz", last_name: "Kowalski", email: "lukasz@example.net", is_primary_contact: true },
      ],
    });
    expect(typeof contact.contact_id).toBe("string");
    await books.updateContact(String(contact.contact_id), {
      contact_name: "Łukasz Kowalski",
      contact_persons: contact.contact_persons as [],
    });
    const unique = { key: "cf_splynx_id", value: "4711" };
    const upserted = await books.upsertContact(unique, {
      contact_name: "Ingrid Lindqvist",
      custom_fields: [{ api_name: "cf_splynx_id", value: "4711" }],
    });
    expect(
      (
        await books.upsertContact(unique, {
          contact_name: "Ingrid Lindqvist AB",
          custom_fields: [{ api_name: "cf_splynx_id", value: "4711" }],
        })
      ).contact_id,
    ).toBe(upserted.contact_id);
    const invoice = await books.createInvoice({
      customer_id: contact.contact_id,
      invoice_number: "INV-T-1",
      date: "2026-11-01",
      due_date: "2026-11-15",
      line_items: [
        {
          item_id: item!.item_id,
          description: "Internet 100M 2026-11-01 – 2026-11-30",
          rate: 24.99,
          quantity: 1,
          tax_id: tax!.tax_id,
        },
      ],
      adjustment: 0.01,
      adjustment_description: "Rounding",
    });
    await books.updateInvoice(String(invoice.invoice_id), {
      customer_id: contact.contact_id,
      invoice_number: "INV-T-1",
      line_items: [{ item_id: item!.item_id, rate: 24.99, quantity: 2, tax_id: tax!.tax_id }],
    });
    await books.markInvoiceSent(String(invoice.invoice_id));
    // Sent, and past its due date of 2026-11-15 by the real clock: Zoho shows it overdue.
    expect(await books.findInvoiceByNumber("INV-T-1")).toMatchObject({
      invoice_id: invoice.invoice_id,
      status: "overdue",
    });
    const note = await books.createCreditNote({
      customer_id: contact.contact_id,
      creditnote_number: "CN-T-1",
      date: "2026-11-02",
      line_items: [{ item_id: item!.item_id, rate: 5, quantity: 1 }],
    });
    await books.applyCreditNote(String(note.creditnote_id), [
      { invoice_id: String(invoice.invoice_id), amount_applied: 5 },
    ]);
    const payment = await books.createPayment({
      customer_id: contact.contact_id,
      payment_mode: "banktransfer",
      amount: 10,
      date: "2026-11-03",
      reference_number: "2026-11-00001",
      account_id: account!.account_id,
      invoices: [{ invoice_id: invoice.invoice_id, amount_applied: 10 }],
    });
    const listed = [];
    for await (const page of books.payments({ reference_number: "2026-11-00001" })) listed.push(...page);
    expect(listed).toEqual([expect.objectContaining({ payment_id: payment.payment_id })]);
    await books.deletePayment(String(payment.payment_id));
    await books.voidInvoice(String(invoice.invoice_id));
    expect((await books.getInvoice(String(invoice.invoice_id))).status).toBe("void");
  });
});

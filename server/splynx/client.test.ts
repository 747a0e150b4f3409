// The client against the simulator over real HTTP: auth, nonces, paging, filters, faults, errors and writes.
// Each test has its own simulator, server and clock, so none depends on what another did or on the time of day.
import { describe, expect, it, onTestFinished } from "vitest";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator, type SplynxSimulator } from "@/server/sandbox/splynx/simulator";
import { SplynxClient, type SplynxAuthMode } from "./client";
import { SplynxError } from "./errors";
import { keyFingerprint, type NonceSource, processNonceSource } from "./nonces";
import { signatureHeader } from "./signature";

type ClientOptions = { key?: string; secret?: string; authMode?: SplynxAuthMode; timeoutMs?: number };

/** A seeded simulator served over HTTP for the calling test alone, on a clock the test moves. */
async function splynxFor(seed = 11) {
  const clock = { at: new Date("2026-11-01T12:00:00Z").getTime() };
  const simulator: SplynxSimulator = createSplynxSimulator({
    seed,
    customers: 120,
    invoices: 900,
    now: () => new Date(clock.at),
    apiKeys: [
      { key: "full-key", secret: "full-secret", title: "Full", checkNonce: true, unsecureAccess: false },
      {
        key: "read-key",
        secret: "read-secret",
        title: "Read only",
        checkNonce: false,
        unsecureAccess: false,
        permissions: { "admin/finance/payments": ["GET"], "admin/customers/customer": ["GET"] },
      },
    ],
  });
  const server = await serveHttp(simulator.handle);
  onTestFinished(() => server.close());
  const client = (options: ClientOptions = {}) =>
    new SplynxClient({
      baseUrl: server.url,
      apiKey: options.key ?? "full-key",
      apiSecret: options.secret ?? "full-secret",
      authMode: options.authMode ?? "signature",
      nonces: processNonceSource(),
      backoffMs: 1,
      signatureRetryDelaysMs: [1, 1, 1],
      timeoutMs: options.timeoutMs ?? 5_000,
      now: () => clock.at,
    });
  return { simulator, server, clock, client };
}

async function readAll(splynx: SplynxClient, resource: "invoices" | "customers", options = {}) {
  const ids: number[] = [];
  const rejected = [];
  for await (const page of splynx.pages(resource, { pageSize: 100, ...options })) {
    ids.push(...page.records.map((record) => record.id));
    rejected.push(...page.rejected);
  }
  return { ids, rejected };
}

describe("SplynxClient", () => {
  it("streams every invoice once, in pages, with items parsed", async () => {
    const { simulator, client } = await splynxFor();
    const splynx = client();
    const { ids, rejected } = await readAll(splynx, "invoices");
    expect(rejected).toEqual([]);
    expect(ids).toHaveLength(900);
    expect(ids).toEqual(simulator.store.invoices.all().map((invoice) => invoice.id));
    expect(splynx.calls).toBe(Math.floor(900 / 100) + 1);
  });

  it("filters with main_attributes and counts with HEAD", async () => {
    const { simulator, client } = await splynxFor();
    const splynx = client();
    const filter = { status: ["IN", ["paid", "pending"]], date_created: [">=", "2026-06-01"] } as const;
    const { ids } = await readAll(splynx, "invoices", { filter });
    const expected = simulator.store.invoices
      .all()
      .filter(
        (invoice) =>
          ["paid", "pending"].includes(String(invoice.status)) && String(invoice.date_created) >= "2026-06-01",
      );
    // The filter keeps some and drops some, so both halves of the comparison mean something.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(900);
    expect(ids).toEqual(expected.map((invoice) => invoice.id));
    expect(await splynx.count("invoices", filter)).toBe(expected.length);
    const partnerTwo = await readAll(splynx, "customers", { filter: { partner_id: 2, status: ["!=", "disabled"] } });
    const expectedCustomers = simulator.store.customers
      .all()
      .filter((customer) => customer.partner_id === "2" && customer.status !== "disabled");
    expect(expectedCustomers.length).toBeGreaterThan(0);
    expect(partnerTwo.ids).toEqual(expectedCustomers.map((customer) => customer.id));
  });

  it("never reuses or reorders a nonce under concurrency, so the nonce check never refuses", async () => {
    const { simulator, client } = await splynxFor();
    const splynx = client();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => splynx.get("customers", (index % 100) + 1)),
    );
    expect(results.map((customer) => customer.id)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(simulator.callCount()).toBe(40);
    expect(splynx.calls).toBe(40);
  });

  it("retries once with a fresh nonce when another worker's later nonce landed first", async () => {
    const { simulator, server } = await splynxFor();
    const shared = processNonceSource();
    let stale = true;
    // This worker took its nonce before the other worker's request (with a later nonce) reached Splynx.
    const next = async (fingerprint: string) => {
      if (!stale) return shared.next(fingerprint);
      stale = false;
      return simulator.store.apiKeys.get("full-key")!.lastNonce;
    };
    const lagging: NonceSource = { next, inOrder: async (fingerprint, exchange) => exchange(await next(fingerprint)) };
    const splynx = new SplynxClient({
      baseUrl: server.url,
      apiKey: "full-key",
      apiSecret: "full-secret",
      authMode: "signature",
      nonces: lagging,
      backoffMs: 1,
    });
    await expect(splynx.get("customers", 1)).resolves.toMatchObject({ id: 1 });
    expect(splynx.calls).toBe(2);
  });

  it("recovers from refused signatures, whatever Splynx's words, once past nonces another tool took", async () => {
    const { server } = await splynxFor();
    // Splynx's words for a stale nonce are not documented: here every refusal says only "Unauthorized".
    const plainRefusals: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status !== 401) return response;
      const error = { message: "Unauthorized", code: 401, internal_code: "UNAUTHORIZED" };
      return Response.json({ error }, { status: 401 });
    };
    const nonces = processNonceSource();
    const ours = await nonces.next(keyFingerprint("full-key"));
    // Another tool signs 30 requests with this key within milliseconds, one past its last nonce each time.
    for (let offset = 1n; offset <= 30n; offset++) {
      const authorization = signatureHeader({ key: "full-key", secret: "full-secret", nonce: ours + offset });
      const response = await fetch(`${server.url}/api/2.0/admin/customers/customer/1`, { headers: { authorization } });
      expect(response.status).toBe(200);
    }
    const splynx = new SplynxClient({
      baseUrl: server.url,
      apiKey: "full-key",
      apiSecret: "full-secret",
      authMode: "signature",
      nonces,
      fetch: plainRefusals,
    });
    await expect(splynx.get("customers", 2)).resolves.toMatchObject({ id: 2 });
    expect(splynx.calls).toBeGreaterThan(1);
    expect(splynx.calls).toBeLessThanOrEqual(4);
    const sent = splynx.calls;
    await expect(splynx.get("customers", 3)).resolves.toMatchObject({ id: 3 });
    expect(splynx.calls).toBe(sent + 1);
  });

  it("gives up on a refused signature after its bounded waits, with Splynx's message", async () => {
    const { server } = await splynxFor();
    const splynx = new SplynxClient({
      baseUrl: server.url,
      apiKey: "full-key",
      apiSecret: "wrong-secret",
      authMode: "signature",
      nonces: processNonceSource(),
      signatureRetryDelaysMs: [1, 1, 1],
    });
    await expect(splynx.get("customers", 1)).rejects.toMatchObject({
      kind: "auth",
      message: "Signature is not valid",
      details: { status: 401, internalCode: "UNAUTHORIZED" },
    });
    expect(splynx.calls).toBe(4);
  });

  it("uses access tokens: created once, renewed before expiry, re-created when refused as expired", async () => {
    const { simulator, client, clock } = await splynxFor();
    const splynx = client({ authMode: "token" });
    await Promise.all([splynx.get("customers", 1), splynx.get("customers", 2), splynx.get("customers", 3)]);
    expect(simulator.calls.get("POST admin/auth/tokens")).toBe(1);
    clock.at += 1800 * 1000;
    await splynx.get("customers", 4);
    expect(simulator.calls.get("GET admin/auth/tokens/{refresh_token}")).toBe(1);
    simulator.faults.expireTokens = true;
    await expect(splynx.get("customers", 5)).rejects.toMatchObject({
      kind: "auth",
      details: { internalCode: "EXPIRED_ACCESS_TOKEN" },
    });
    expect(simulator.calls.get("POST admin/auth/tokens")).toBe(2);
    simulator.faults.expireTokens = false;
    await expect(splynx.get("customers", 5)).resolves.toMatchObject({ id: 5 });
    expect(simulator.calls.get("POST admin/auth/tokens")).toBe(2);
  });

  it("completes reads through 5xx answers and dropped connections", async () => {
    const { simulator, client } = await splynxFor();
    Object.assign(simulator.faults, { serverErrorRate: 0.25, dropRate: 0.1 });
    const { ids } = await readAll(client(), "invoices");
    expect(ids).toEqual(simulator.store.invoices.all().map((invoice) => invoice.id));
  });

  it("reports a malformed record with its id and field, and goes on", async () => {
    const { simulator, client } = await splynxFor();
    simulator.faults.malformedRate = 0.05;
    const { ids, rejected } = await readAll(client(), "invoices");
    expect(rejected.length).toBeGreaterThan(0);
    expect(ids.length + rejected.length).toBe(900);
    expect(new Set([...ids.map(String), ...rejected.map((record) => record.id)]).size).toBe(900);
    for (const record of rejected)
      expect(record).toEqual({
        id: expect.stringMatching(/^\d+$/),
        field: expect.any(String),
        message: expect.any(String),
      });
  });

  it("times out a call that does not answer", async () => {
    const { simulator, client } = await splynxFor();
    simulator.faults.latencyMs = 300;
    await expect(client({ timeoutMs: 100 }).get("customers", 1)).rejects.toMatchObject({ kind: "timeout" });
  });

  it("never sends a write twice, whatever happens to the answer", async () => {
    const { simulator, client } = await splynxFor();
    const splynx = client();
    const invoice = simulator.store.invoices
      .all()
      .find((candidate) => candidate.status === "not_paid" && Number(candidate.due) > 0)!;
    const paymentsBefore = simulator.store.payments.size;
    Object.assign(simulator.faults, { dropRate: 1, dropPhase: "after" });
    await expect(
      splynx.createPayment({
        customer_id: Number(invoice.customer_id),
        invoice_id: invoice.id,
        payment_type: 7,
        receipt_number: "ZB-1",
        date: "2026-11-01",
        amount: String(invoice.due),
      }),
    ).rejects.toMatchObject({ kind: "network" });
    expect(simulator.calls.get("POST admin/finance/payments")).toBe(1);
    expect(simulator.store.payments.size).toBe(paymentsBefore + 1);
    simulator.resetFaults();
    simulator.faults.serverErrorRate = 1;
    await expect(
      splynx.createPayment({
        customer_id: 1,
        payment_type: 7,
        receipt_number: "ZB-2",
        date: "2026-11-01",
        amount: "5",
      }),
    ).rejects.toMatchObject({ kind: "server" });
    expect(simulator.calls.get("POST admin/finance/payments")).toBe(1);
  });

  it("pays the invoice a payment names, and fills a payment statement", async () => {
    const { simulator, client } = await splynxFor();
    const splynx = client();
    const invoice = simulator.store.invoices
      .all()
      .find(
        (candidate) =>
          candidate.status === "not_paid" &&
          Number(candidate.due) > 0 &&
          Number(candidate.due) === Number(candidate.total),
      )!;
    const paymentId = await splynx.createPayment({
      customer_id: Number(invoice.customer_id),
      invoice_id: invoice.id,
      payment_type: 7,
      receipt_number: "ZB-3",
      date: "2026-11-02",
      amount: String(invoice.total),
    });
    expect(await splynx.get("invoices", invoice.id)).toMatchObject({
      status: "paid",
      due: "0",
      payment_id: paymentId,
      date_payment: "2026-11-02",
    });
    const statementId = await splynx.createPaymentStatement({ title: "Zoho Books 2026-11" });
    await splynx.createPaymentStatementRecord({
      bank_statements_process_id: statementId,
      payment_date: "2026-11-02",
      amount: String(invoice.total),
      status: "processed",
      customer_id: Number(invoice.customer_id),
      invoice_id: invoice.id,
      payment_id: paymentId,
    });
    await splynx.createPaymentStatementRecord({
      bank_statements_process_id: statementId,
      payment_date: "2026-11-02",
      amount: "1.00",
      status: "pending",
    });
    expect(await splynx.get("paymentStatements", statementId)).toMatchObject({ records: 2 });
  });

  it("classifies Splynx's errors", async () => {
    const { client } = await splynxFor();
    const readOnly = client({ key: "read-key", secret: "read-secret" });
    const refused = await readOnly
      .createPayment({ customer_id: 1, payment_type: 7, receipt_number: "x", date: "2026-11-01", amount: "1" })
      .catch((error: SplynxError) => error);
    expect(refused).toMatchObject({ kind: "permission", details: { status: 403, internalCode: "FORBIDDEN" } });
    await expect(readOnly.get("invoices", 1)).rejects.toMatchObject({ kind: "permission" });
    await expect(client().get("customers", 999_999)).rejects.toMatchObject({
      kind: "not_found",
      details: { internalCode: "NOT_FOUND" },
    });
    await expect(client().probe("POST", "admin/config/taxes", { body: { name: "x" } })).rejects.toMatchObject({
      kind: "method_disabled",
      details: { status: 405 },
    });
    const invalid = (await client()
      .createPayment({ customer_id: 0, payment_type: 7, receipt_number: "x", date: "1 Nov", amount: "0" })
      .catch((error: unknown) => error)) as SplynxError;
    expect(invalid).toBeInstanceOf(SplynxError);
    expect(invalid.kind).toBe("validation");
    expect(invalid.details.fields).toEqual(
      expect.arrayContaining([
        { field: "customer_id", message: "Customer not found" },
        { field: "amount", message: "Invalid sum, only a value greater or less than 0 is allowed!" },
      ]),
    );
    await expect(client({ secret: "wrong" }).get("customers", 1)).rejects.toMatchObject({
      kind: "auth",
      details: { status: 401 },
    });
    await expect(
      new SplynxClient({
        baseUrl: "http://127.0.0.1:1",
        apiKey: "k",
        apiSecret: "s",
        authMode: "signature",
        nonces: processNonceSource(),
        backoffMs: 1,
        readAttempts: 2,
      }).get("customers", 1),
    ).rejects.toMatchObject({ kind: "network" });
  });
});

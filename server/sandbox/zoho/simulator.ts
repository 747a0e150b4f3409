// A Zoho accounts server and Books API v3 in a fetch-style handler: OAuth, limits, validated bodies, Zoho's arithmetic.
import { randomBytes } from "node:crypto";
import { add, compare, negate } from "@/server/money";
import { withNetworkFaults, type NetworkFaults } from "../faults";
import { seededRandom } from "../splynx/random";
import { OpenApiContract } from "./openapi";
import { createZohoStore, PLAN_LIMITS, seedZoho, type BooksRecord, type Organization, type ZohoSeed } from "./store";
import { asNumber, isZero, subtract, zohoDocumentTotals } from "./totals";

let contractCache: OpenApiContract | undefined;
// Parsing and compiling eleven OpenAPI files takes half a second: once per process is enough.
function sharedContract(): OpenApiContract {
  contractCache ??= new OpenApiContract();
  return contractCache;
}

export type ZohoFaults = NetworkFaults & { latencyMs: number };
const NO_FAULTS: ZohoFaults = { latencyMs: 0, serverErrorRate: 0, dropRate: 0, dropPhase: "before" };

export type ZohoSimulatorOptions = ZohoSeed & {
  seed?: number;
  /** The `accounts-server` value the consent redirect carries. */
  accountsServer: string;
  /** The `api_domain` token responses name. */
  apiDomain: string;
  now?: () => number;
  /** The rate window: Zoho's minute, shortened for tests and benchmarks on a scaled clock. */
  windowMs?: number;
  perWindow?: number;
  /** The daily quota's day, shortened the same way. */
  dayMs?: number;
  tokenThrottle?: { max: number; windowMs: number };
};

type Reply = Response | Promise<Response>;
const envelope = (status: number, body: BooksRecord) => Response.json(body, { status });
const zohoError = (status: number, code: number, message: string) => envelope(status, { code, message });
const NOT_AUTHORIZED = "You are not authorized to perform this operation";
const stamp = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, "+0000");

// Text filters the way Zoho's list endpoints take them: exact, `_startswith`, `_contains`.
function matchesTextFilters(record: BooksRecord, params: URLSearchParams, fields: string[]): boolean {
  for (const field of fields) {
    const exact = params.get(field);
    const value = String(record[field] ?? "").toLowerCase();
    if (exact !== null && value !== exact.toLowerCase()) return false;
    const startsWith = params.get(`${field}_startswith`);
    if (startsWith !== null && !value.startsWith(startsWith.toLowerCase())) return false;
    const contains = params.get(`${field}_contains`);
    if (contains !== null && !value.includes(contains.toLowerCase())) return false;
  }
  return true;
}

function page(records: BooksRecord[], params: URLSearchParams, key: string, sortColumn: string) {
  const pageNumber = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const perPage = Math.min(200, Math.max(1, Number(params.get("per_page") ?? 200) || 200));
  const start = (pageNumber - 1) * perPage;
  return {
    code: 0,
    message: "success",
    [key]: records.slice(start, start + perPage),
    page_context: { page: pageNumber, per_page: perPage, has_more_page: start + perPage < records.length, report_name: key, applied_filter: params.get("filter_by") ?? "Status.All", sort_column: params.get("sort_column") ?? sortColumn, sort_order: params.get("sort_order") ?? "A" },
  };
}

export function createZohoSimulator(options: ZohoSimulatorOptions) {
  const store = createZohoStore();
  seedZoho(store, options);
  const contract = sharedContract();
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? 60_000;
  const perWindow = options.perWindow ?? 100;
  const dayMs = options.dayMs ?? 86_400_000;
  const throttle = options.tokenThrottle ?? { max: 10, windowMs: 600_000 };
  const faults: ZohoFaults = { ...NO_FAULTS };
  const faultRandom = seededRandom((options.seed ?? 1) ^ 0x20b0);
  const calls = new Map<string, number>();
  /** The most calls any organization had inside one rate window, for limiter tests. */
  const peaks = { perWindow: 0, inFlight: 0, rejected429: 0 };
  const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);

  // ---- Accounts server ----

  async function formParams(request: Request): Promise<URLSearchParams> {
    const params = new URL(request.url).searchParams;
    if (request.method === "POST") {
      const text = await request.text();
      for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
    }
    return params;
  }

  function consentPage(params: URLSearchParams): Response {
    const client = store.clients.get(params.get("client_id") ?? "");
    if (!client) return new Response("<h1>Invalid Client</h1><p>The client_id is not registered.</p>", { status: 400, headers: { "content-type": "text/html" } });
    const redirectUri = params.get("redirect_uri") ?? "";
    if (client.redirectUris.length > 0 && !client.redirectUris.includes(redirectUri)) return new Response("<h1>Invalid Redirect Uri</h1>", { status: 400, headers: { "content-type": "text/html" } });
    const hidden = [...params].map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`).join("");
    const users = [...store.users.keys()].map((user) => `<option>${escapeHtml(user)}</option>`).join("");
    const scopes = (params.get("scope") ?? "").split(",").map((scope) => `<li>${escapeHtml(scope)}</li>`).join("");
    const html = `<!doctype html><html><head><title>Zoho Accounts (simulator)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
<h1>Zoho Books (simulator)</h1><p><strong>${escapeHtml(client.clientId)}</strong> would like to access your Zoho Books data:</p><ul>${scopes}</ul>
<form method="post">${hidden}<label>Organization account <select name="user">${users}</select></label>
<p><button name="decision" value="accept">Accept</button> <button name="decision" value="reject">Reject</button></p></form></body></html>`;
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  }

  function consentDecision(params: URLSearchParams): Response {
    const redirect = new URL(params.get("redirect_uri") ?? "");
    const state = params.get("state");
    if (state) redirect.searchParams.set("state", state);
    if (params.get("decision") !== "accept") {
      redirect.searchParams.set("error", "access_denied");
      return Response.redirect(redirect.toString(), 302);
    }
    const code = `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
    store.grants.set(code, { code, clientId: params.get("client_id") ?? "", redirectUri: params.get("redirect_uri") ?? "", scope: params.get("scope") ?? "", user: params.get("user") ?? "", expiresAt: now() + 60_000, used: false, offline: params.get("access_type") === "offline" });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("location", "us");
    redirect.searchParams.set("accounts-server", options.accountsServer);
    return Response.redirect(redirect.toString(), 302);
  }

  function issueAccessToken(refreshToken: string, scope: string, user: string) {
    const token = `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
    store.accessTokens.set(token, { token, refreshToken, scope, user, expiresAt: now() + 3_600_000 });
    return { access_token: token, scope, api_domain: options.apiDomain, token_type: "Bearer", expires_in: 3600 };
  }

  async function tokenEndpoint(request: Request): Promise<Response> {
    const params = await formParams(request);
    const client = store.clients.get(params.get("client_id") ?? "");
    // Zoho reports token errors in HTTP 200 bodies.
    if (!client) return Response.json({ error: "invalid_client" });
    if (client.clientSecret !== params.get("client_secret")) return Response.json({ error: "invalid_client_secret" });
    const grantType = params.get("grant_type");
    if (grantType === "authorization_code") {
      count("POST /oauth/v2/token (code)");
      const grant = store.grants.get(params.get("code") ?? "");
      if (!grant || grant.used || grant.expiresAt < now() || grant.clientId !== client.clientId || grant.redirectUri !== params.get("redirect_uri")) return Response.json({ error: "invalid_code" });
      grant.used = true;
      if (!grant.offline) return Response.json(issueAccessToken("", grant.scope, grant.user));
      const refresh = `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
      store.refreshTokens.set(refresh, { token: refresh, clientId: client.clientId, scope: grant.scope, user: grant.user, revoked: false, requests: [] });
      return Response.json({ ...issueAccessToken(refresh, grant.scope, grant.user), refresh_token: refresh });
    }
    if (grantType === "refresh_token") {
      count("POST /oauth/v2/token (refresh)");
      const refresh = store.refreshTokens.get(params.get("refresh_token") ?? "");
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId) return Response.json({ error: "invalid_code" });
      refresh.requests = refresh.requests.filter((time) => time > now() - throttle.windowMs);
      if (refresh.requests.length >= throttle.max) {
        return Response.json({ error_description: "You have made too many requests continuously. Please try again after some time.", error: "Access Denied", status: "failure" }, { status: 400 });
      }
      refresh.requests.push(now());
      return Response.json(issueAccessToken(refresh.token, refresh.scope, refresh.user));
    }
    return Response.json({ error: "unsupported_grant_type" });
  }

  async function revokeEndpoint(request: Request): Promise<Response> {
    const params = await formParams(request);
    count("POST /oauth/v2/token/revoke");
    const refresh = store.refreshTokens.get(params.get("token") ?? "");
    if (refresh) {
      refresh.revoked = true;
      for (const [token, access] of store.accessTokens) if (access.refreshToken === refresh.token) store.accessTokens.delete(token);
    }
    return Response.json({ status: "success" });
  }

  // ---- Books API ----

  function limit(org: Organization): Response | { release: () => void; headers: Record<string, string> } {
    const at = now();
    const state = org.limits;
    const day = String(Math.floor(at / dayMs));
    if (state.day !== day) Object.assign(state, { day, usedToday: 0 });
    state.recent = state.recent.filter((time) => time > at - windowMs);
    const plan = PLAN_LIMITS[org.details.plan];
    // Every request counts against the minute, refused or not, as a block for hammering would.
    state.recent.push(at);
    peaks.perWindow = Math.max(peaks.perWindow, state.recent.length);
    if (state.recent.length > perWindow) {
      peaks.rejected429++;
      return zohoError(429, 44, "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.");
    }
    if (state.usedToday >= plan.daily) {
      peaks.rejected429++;
      return zohoError(429, 45, `The API call for this organization has exceeded the maximum call rate limit of ${plan.daily}.`);
    }
    if (state.inFlight >= plan.concurrency) {
      peaks.rejected429++;
      return zohoError(429, 1070, "You have reached the maximum number of in process requests allowed. Kindly try again after some time.");
    }
    state.usedToday++;
    state.inFlight++;
    peaks.inFlight = Math.max(peaks.inFlight, state.inFlight);
    const resetSeconds = Math.ceil((dayMs - (at % dayMs)) / 1000);
    return {
      release: () => void state.inFlight--,
      headers: { "X-Rate-Limit-Limit": String(plan.daily), "X-Rate-Limit-Remaining": String(plan.daily - state.usedToday), "X-Rate-Limit-Reset": String(resetSeconds) },
    };
  }

  function contactSummary(contact: BooksRecord): BooksRecord {
    const persons = (contact.contact_persons as BooksRecord[]) ?? [];
    const primary = persons.find((person) => person.is_primary_contact) ?? persons[0] ?? {};
    const { contact_persons: _persons, billing_address: _address, ...rest } = contact;
    return { ...rest, email: primary.email ?? "", phone: primary.phone ?? "", first_name: primary.first_name ?? "", last_name: primary.last_name ?? "" };
  }

  function documentSummary(document: BooksRecord): BooksRecord {
    const { line_items: _lines, taxes: _taxes, billing_address: _address, ...rest } = document;
    return rest;
  }

  function priceLines(org: Organization, lines: BooksRecord[]): { lines: BooksRecord[]; error?: Response } {
    const priced: BooksRecord[] = [];
    for (const [index, line] of lines.entries()) {
      const item = line.item_id ? org.items.get(String(line.item_id)) : undefined;
      if (line.item_id && !item) return { lines: [], error: zohoError(400, 1002, "Item does not exist.") };
      const tax = line.tax_id ? org.taxes.get(String(line.tax_id)) : undefined;
      if (line.tax_id && !tax) return { lines: [], error: zohoError(400, 1002, "Tax does not exist.") };
      priced.push({ ...line, line_item_id: org.newId(), item_order: index + 1, name: line.name ?? item?.name ?? "", rate: Number(line.rate ?? item?.rate ?? 0), quantity: Number(line.quantity ?? 1), tax_id: tax?.tax_id ?? "", tax_name: tax?.tax_name ?? "", tax_percentage: tax ? Number(tax.tax_percentage) : 0 });
    }
    return { lines: priced };
  }

  /** Fills in the totals Zoho computes, from priced lines and the adjustment. */
  function withTotals(document: BooksRecord, lines: BooksRecord[]): BooksRecord {
    const totals = zohoDocumentTotals(lines.map((line) => ({ rate: Number(line.rate), quantity: Number(line.quantity), taxPercentage: Number(line.tax_percentage) })), Number(document.adjustment ?? 0));
    const byTax = new Map<string, number>();
    lines.forEach((line, index) => line.tax_name && byTax.set(String(line.tax_name), (byTax.get(String(line.tax_name)) ?? 0) + asNumber(totals.perLine[index]!.tax)));
    return {
      ...document,
      line_items: lines.map((line, index) => ({ ...line, rate: asNumber(totals.perLine[index]!.rate), item_total: asNumber(totals.perLine[index]!.itemTotal) })),
      sub_total: asNumber(totals.subTotal),
      tax_total: asNumber(totals.taxTotal),
      taxes: [...byTax].map(([tax_name, tax_amount]) => ({ tax_name, tax_amount: Number(tax_amount.toFixed(2)) })),
      total: asNumber(totals.total),
    };
  }

  function invoiceStatus(invoice: BooksRecord): string {
    if (invoice.status === "void" || invoice.status === "draft") return String(invoice.status);
    const balance = String(invoice.balance);
    if (isZero(balance)) return "paid";
    if (compare(balance, String(invoice.total)) < 0) return "partially_paid";
    return String(invoice.due_date ?? "9999") < new Date(now()).toISOString().slice(0, 10) ? "overdue" : "sent";
  }

  /** Moves `amount` (negative to undo) from the invoice's balance to its payments or credits. */
  function settle(invoice: BooksRecord, amount: string, kind: "payment_made" | "credits_applied") {
    invoice[kind] = asNumber(add([String(invoice[kind] ?? 0), amount], 2));
    invoice.balance = asNumber(subtract(String(invoice.balance), amount));
    invoice.status = invoiceStatus(invoice);
    invoice.last_modified_time = stamp(now());
  }

  function contactFields(org: Organization, body: BooksRecord, existing?: BooksRecord): BooksRecord | Response {
    if (!existing && !body.contact_name) return zohoError(400, 4, "Contact name is required.");
    if (body.currency_id && !org.currencies.get(String(body.currency_id))) return zohoError(400, 1002, "Currency does not exist.");
    const persons = body.contact_persons === undefined ? existing?.contact_persons : (body.contact_persons as BooksRecord[]).map((person) => ({ ...person, contact_person_id: person.contact_person_id ?? org.newId() }));
    const primary = ((persons as BooksRecord[] | undefined) ?? []).find((person) => person.is_primary_contact) as BooksRecord | undefined;
    const currency = org.currencies.get(String(body.currency_id ?? existing?.currency_id ?? org.baseCurrency.currency_id))!;
    return { ...existing, ...body, contact_persons: persons ?? [], primary_contact_id: primary?.contact_person_id ?? "", currency_id: currency.currency_id, currency_code: currency.currency_code, last_modified_time: stamp(now()) };
  }

  function upsertTarget(collection: Map<string, BooksRecord>, request: Request): BooksRecord | undefined | Response {
    const key = request.headers.get("X-Unique-Identifier-Key");
    const value = request.headers.get("X-Unique-Identifier-Value");
    if (!key || value === null) return zohoError(400, 4, "X-Unique-Identifier-Key and X-Unique-Identifier-Value are required.");
    return [...collection.values()].find((record) => ((record.custom_fields as BooksRecord[] | undefined) ?? []).some((field) => field.api_name === key && String(field.value) === value));
  }

  async function books(request: Request, url: URL, apiPath: string): Promise<Response> {
    const header = request.headers.get("authorization") ?? "";
    const tokenValue = /^Zoho-oauthtoken (\S+)$/.exec(header)?.[1];
    if (!tokenValue) return zohoError(401, 14, "The request could not be authenticated as the authentication value you entered is invalid. Enter a valid authentication value and try again.");
    const token = store.accessTokens.get(tokenValue);
    if (!token || token.expiresAt <= now()) return zohoError(401, 57, NOT_AUTHORIZED);
    const userOrgs = store.users.get(token.user) ?? [];
    const params = url.searchParams;
    const method = request.method;

    if (apiPath === "/organizations" && method === "GET") {
      count("GET /organizations");
      return envelope(200, { code: 0, message: "success", organizations: userOrgs.map((id) => store.organizations.get(id)!.summary()) });
    }
    const org = store.organizations.get(params.get("organization_id") ?? "");
    // A missing or foreign organization surfaces as 57, like a missing scope or a wrong data centre.
    if (!org || !userOrgs.includes(org.id)) return zohoError(401, 57, NOT_AUTHORIZED);

    const operation = contract.operation(method, apiPath);
    if (!operation) return zohoError(404, 5, "Invalid URL Passed");
    count(`${method} ${operation.template}`);
    let body: BooksRecord = {};
    if (method === "POST" || method === "PUT") {
      const text = await request.text();
      if (text) {
        try {
          body = JSON.parse(text) as BooksRecord;
        } catch {
          return zohoError(400, 1038, "JSON is not well formed");
        }
      }
      const problems = contract.check(operation, body);
      // Zoho's wording for schema failures is not documented; this names the field and the rule.
      if (problems.length > 0) return zohoError(400, 2, `Invalid value passed for ${problems.map((problem) => `${problem.path}: ${problem.message}`).join("; ")}`);
    }

    const gate = limit(org);
    if (gate instanceof Response) return gate;
    try {
      // Latency stands for Zoho's processing time, so the call holds its in-flight slot meanwhile.
      if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      const response = await route(org, request, operation.template, apiPath, params, body);
      for (const [name, value] of Object.entries(gate.headers)) response.headers.set(name, value);
      return response;
    } finally {
      gate.release();
    }
  }

  function route(org: Organization, request: Request, template: string, apiPath: string, params: URLSearchParams, body: BooksRecord): Reply {
    const id = apiPath.split("/")[apiPath.startsWith("/settings/") ? 3 : 2] ?? "";
    const key = `${request.method} ${template}`;
    switch (key) {
      case "GET /settings/currencies":
        return envelope(200, page([...org.currencies.values()], params, "currencies", "currency_code"));
      case "GET /items":
        return envelope(200, page([...org.items.values()].filter((item) => matchesTextFilters(item, params, ["name"])), params, "items", "name"));
      case "GET /chartofaccounts":
        return envelope(200, page([...org.accounts.values()], params, "chartofaccounts", "account_name"));
      case "GET /bankaccounts":
        return envelope(200, page([...org.accounts.values()].filter((account) => account.account_type === "bank").map((account) => ({ ...account, balance: 0, bcy_balance: 0, bank_name: "", is_primary_account: false, is_paypal_account: false })), params, "bankaccounts", "account_name"));
      case "GET /settings/taxes":
        return envelope(200, page([...org.taxes.values()], params, "taxes", "tax_name"));

      case "GET /contacts": {
        const contacts = [...org.contacts.values()].map(contactSummary).filter((contact) => (!params.get("contact_type") || contact.contact_type === params.get("contact_type")) && matchesTextFilters(contact, params, ["contact_name", "email", "company_name"]));
        return envelope(200, page(contacts, params, "contacts", "contact_name"));
      }
      case "POST /contacts": {
        const contact = contactFields(org, body);
        if (contact instanceof Response) return contact;
        const contactId = org.newId();
        const created = { contact_type: "customer", status: "active", outstanding_receivable_amount: 0, unused_credits_receivable_amount: 0, ...contact, contact_id: contactId, created_time: stamp(now()) };
        org.contacts.set(contactId, created);
        return envelope(201, { code: 0, message: "The contact has been created", contact: created });
      }
      case "PUT /contacts": {
        const target = upsertTarget(org.contacts, request);
        if (target instanceof Response) return target;
        if (!target && request.headers.get("X-Upsert") !== "true") return zohoError(404, 1002, "Contact does not exist.");
        const contact = contactFields(org, body, target);
        if (contact instanceof Response) return contact;
        const contactId = String(target?.contact_id ?? org.newId());
        org.contacts.set(contactId, { created_time: stamp(now()), status: "active", ...contact, contact_id: contactId });
        return envelope(target ? 200 : 201, { code: 0, message: target ? "Contact has been updated successfully" : "The contact has been created", contact: org.contacts.get(contactId) });
      }
      case "GET /contacts/{contact_id}":
      case "PUT /contacts/{contact_id}":
      case "DELETE /contacts/{contact_id}": {
        const contact = org.contacts.get(id);
        if (!contact) return zohoError(404, 1002, "Contact does not exist.");
        if (request.method === "GET") return envelope(200, { code: 0, message: "success", contact });
        if (request.method === "DELETE") {
          org.contacts.delete(id);
          return envelope(200, { code: 0, message: "The contact has been deleted." });
        }
        const updated = contactFields(org, body, contact);
        if (updated instanceof Response) return updated;
        org.contacts.set(id, updated);
        return envelope(200, { code: 0, message: "Contact has been updated successfully", contact: updated });
      }

      case "GET /invoices": {
        const modifiedAfter = params.get("last_modified_time");
        const invoices = [...org.invoices.values()]
          .map((invoice): BooksRecord => ({ ...invoice, status: invoiceStatus(invoice) }))
          .filter((invoice) => (!params.get("customer_id") || invoice.customer_id === params.get("customer_id")) && (!params.get("status") || invoice.status === params.get("status")) && (!modifiedAfter || String(invoice.last_modified_time) > modifiedAfter) && matchesTextFilters(invoice, params, ["invoice_number", "reference_number"]))
          .map(documentSummary);
        return envelope(200, page(invoices, params, "invoices", "created_time"));
      }
      case "POST /invoices":
        return createDocument(org, params, body, "invoice");
      case "GET /invoices/{invoice_id}": {
        const invoice = org.invoices.get(id);
        return invoice ? envelope(200, { code: 0, message: "success", invoice: { ...invoice, status: invoiceStatus(invoice) } }) : zohoError(404, 1002, "Invoice does not exist.");
      }
      case "PUT /invoices/{invoice_id}":
        return updateInvoice(org, id, params, body);
      case "POST /invoices/{invoice_id}/status/sent":
      case "POST /invoices/{invoice_id}/status/void": {
        const invoice = org.invoices.get(id);
        if (!invoice) return zohoError(404, 1002, "Invoice does not exist.");
        if (key.endsWith("sent")) {
          if (invoice.status === "draft") invoice.status = "sent";
          invoice.status = invoiceStatus(invoice);
          invoice.last_modified_time = stamp(now());
          return envelope(200, { code: 0, message: "Invoice status has been changed to Sent." });
        }
        voidInvoice(org, invoice);
        return envelope(200, { code: 0, message: "Invoice status has been changed to Void." });
      }

      case "GET /creditnotes":
        return envelope(200, page([...org.creditNotes.values()].filter((note) => (!params.get("customer_id") || note.customer_id === params.get("customer_id")) && matchesTextFilters(note, params, ["creditnote_number"])).map(documentSummary), params, "creditnotes", "created_time"));
      case "POST /creditnotes":
        return createDocument(org, params, body, "creditnote");
      case "GET /creditnotes/{creditnote_id}": {
        const note = org.creditNotes.get(id);
        return note ? envelope(200, { code: 0, message: "success", creditnote: note }) : zohoError(404, 1002, "Credit note does not exist.");
      }
      case "POST /creditnotes/{creditnote_id}/invoices":
        return applyCredit(org, id, body);

      case "GET /customerpayments": {
        const payments = [...org.payments.values()].filter((payment) => (!params.get("customer_id") || payment.customer_id === params.get("customer_id")) && matchesTextFilters(payment, params, ["reference_number"]) && (!params.get("date_start") || String(payment.date) >= params.get("date_start")!) && (!params.get("date_end") || String(payment.date) <= params.get("date_end")!));
        const sorted = params.get("sort_column") === "last_modified_time" ? payments.sort((a, b) => String(a.last_modified_time).localeCompare(String(b.last_modified_time))) : payments;
        // The OAS names the list key customer_payments; real Books and every client read customerpayments.
        return envelope(200, page(sorted.map(({ invoices: _invoices, ...payment }) => payment), params, "customerpayments", params.get("sort_column") ?? "date"));
      }
      case "POST /customerpayments":
        return createPayment(org, body);
      case "GET /customerpayments/{payment_id}": {
        const payment = org.payments.get(id);
        return payment ? envelope(200, { code: 0, message: "success", payment }) : zohoError(404, 1002, "Payment does not exist.");
      }
      case "DELETE /customerpayments/{payment_id}": {
        const payment = org.payments.get(id);
        if (!payment) return zohoError(404, 1002, "Payment does not exist.");
        for (const applied of payment.invoices as BooksRecord[]) {
          const invoice = org.invoices.get(String(applied.invoice_id));
          if (invoice) settle(invoice, negate(String(applied.amount_applied)), "payment_made");
        }
        org.payments.delete(id);
        return envelope(200, { code: 0, message: "The payment has been deleted." });
      }
    }
    return zohoError(405, 37, "The HTTP method is not allowed for the requested resource");
  }

  function createDocument(org: Organization, params: URLSearchParams, body: BooksRecord, kind: "invoice" | "creditnote"): Response {
    const collection = kind === "invoice" ? org.invoices : org.creditNotes;
    const numberField = kind === "invoice" ? "invoice_number" : "creditnote_number";
    const customer = org.contacts.get(String(body.customer_id));
    if (!customer) return zohoError(400, 1002, "Contact does not exist.");
    const ownNumber = params.get("ignore_auto_number_generation") === "true";
    // A caller's own number needs ignore_auto_number_generation (inferred: Zoho mandates it for custom numbers).
    if (body[numberField] && !ownNumber) return zohoError(400, 4, `Invalid value passed for ${numberField}: auto-numbering is on; pass ignore_auto_number_generation=true to set your own.`);
    const number = ownNumber ? String(body[numberField] ?? "") : `${kind === "invoice" ? "INV" : "CN"}-${String(collection.size + 1).padStart(6, "0")}`;
    if (!number) return zohoError(400, 4, `${numberField} is required when ignore_auto_number_generation is true.`);
    if ([...collection.values()].some((document) => document[numberField] === number)) {
      return zohoError(400, 1001, `${kind === "invoice" ? "Invoice" : "Credit note"} number ${number} already exists. Please enter a different one.`);
    }
    const priced = priceLines(org, (body.line_items as BooksRecord[]) ?? []);
    if (priced.error) return priced.error;
    const documentId = org.newId();
    const currency = org.currencies.get(String(body.currency_id ?? customer.currency_id))!;
    const base = withTotals({ ...body, [numberField]: number, customer_id: customer.contact_id, customer_name: customer.contact_name, currency_id: currency.currency_id, currency_code: currency.currency_code, date: body.date ?? new Date(now()).toISOString().slice(0, 10), created_time: stamp(now()), last_modified_time: stamp(now()) }, priced.lines);
    if (kind === "invoice") {
      const invoice = { ...base, invoice_id: documentId, due_date: body.due_date ?? base.date, payment_made: 0, credits_applied: 0, balance: base.total, status: params.get("send") === "true" ? "sent" : "draft" };
      invoice.status = invoiceStatus(invoice);
      org.invoices.set(documentId, invoice);
      return envelope(201, { code: 0, message: "The invoice has been created.", invoice });
    }
    const note = { ...base, creditnote_id: documentId, balance: base.total, status: body.is_draft ? "draft" : "open", invoices: [] };
    org.creditNotes.set(documentId, note);
    return envelope(201, { code: 0, message: "The credit note has been created.", creditnote: note });
  }

  function updateInvoice(org: Organization, id: string, params: URLSearchParams, body: BooksRecord): Response {
    const invoice = org.invoices.get(id);
    if (!invoice) return zohoError(404, 1002, "Invoice does not exist.");
    const status = invoiceStatus(invoice);
    // Inferred wording: Zoho refuses edits to paid and void invoices.
    if (status === "paid" || status === "void") return zohoError(400, 1067, `You cannot edit an invoice that is ${status === "paid" ? "paid" : "void"}.`);
    if (body.invoice_number && body.invoice_number !== invoice.invoice_number) {
      if (params.get("ignore_auto_number_generation") !== "true") return zohoError(400, 4, "Invalid value passed for invoice_number: pass ignore_auto_number_generation=true to change it.");
      if ([...org.invoices.values()].some((other) => other.invoice_number === body.invoice_number)) return zohoError(400, 1001, `Invoice number ${String(body.invoice_number)} already exists. Please enter a different one.`);
    }
    // Line items are replaced as a whole: a line left out is deleted.
    const priced = priceLines(org, (body.line_items as BooksRecord[] | undefined) ?? (invoice.line_items as BooksRecord[]));
    if (priced.error) return priced.error;
    const updated = withTotals({ ...invoice, ...body, last_modified_time: stamp(now()) }, priced.lines);
    const paid = subtract(String(invoice.total), String(invoice.balance));
    updated.balance = asNumber(subtract(String(updated.total), paid));
    if (compare(String(updated.balance), "0") < 0) return zohoError(400, 4, "The invoice total cannot be less than the amount already paid or credited.");
    updated.status = invoiceStatus(updated);
    org.invoices.set(id, updated);
    return envelope(200, { code: 0, message: "Invoice information has been updated.", invoice: updated });
  }

  function voidInvoice(org: Organization, invoice: BooksRecord) {
    // Payments and credits on a voided invoice go back to the customer as unused credit.
    for (const payment of org.payments.values()) {
      const applied = (payment.invoices as BooksRecord[]).filter((entry) => entry.invoice_id === invoice.invoice_id);
      for (const entry of applied) payment.unused_amount = asNumber(add([String(payment.unused_amount), String(entry.amount_applied)], 2));
      payment.invoices = (payment.invoices as BooksRecord[]).filter((entry) => entry.invoice_id !== invoice.invoice_id);
    }
    Object.assign(invoice, { status: "void", balance: 0, payment_made: 0, credits_applied: 0, last_modified_time: stamp(now()) });
  }

  function createPayment(org: Organization, body: BooksRecord): Response {
    const customer = org.contacts.get(String(body.customer_id));
    if (!customer) return zohoError(400, 1002, "Contact does not exist.");
    if (body.account_id && !org.accounts.get(String(body.account_id))) return zohoError(400, 1002, "Account does not exist.");
    const amount = String(body.amount);
    let applied = "0";
    const entries: BooksRecord[] = [];
    for (const entry of (body.invoices as BooksRecord[]) ?? []) {
      const invoice = org.invoices.get(String(entry.invoice_id));
      if (!invoice || invoice.customer_id !== customer.contact_id) return zohoError(400, 1002, "Invoice does not exist.");
      if (invoice.status === "draft" || invoice.status === "void") return zohoError(400, 4, `Payments cannot be applied to ${String(invoice.status)} invoices.`);
      if (compare(String(entry.amount_applied), String(invoice.balance)) > 0) return zohoError(400, 4, "The amount applied exceeds the balance due on the invoice.");
      applied = add([applied, String(entry.amount_applied)], 2);
      entries.push({ invoice_id: invoice.invoice_id, invoice_number: invoice.invoice_number, date: invoice.date, invoice_amount: invoice.total, amount_applied: Number(entry.amount_applied) });
    }
    if (compare(applied, amount) > 0) return zohoError(400, 4, "The amount applied to invoices exceeds the payment amount.");
    for (const entry of entries) settle(org.invoices.get(String(entry.invoice_id))!, String(entry.amount_applied), "payment_made");
    const paymentId = org.newId();
    const account = body.account_id ? org.accounts.get(String(body.account_id)) : [...org.accounts.values()].find((candidate) => candidate.account_name === "Undeposited Funds");
    const payment = {
      payment_id: paymentId,
      payment_number: org.nextPaymentNumber(),
      customer_id: customer.contact_id,
      customer_name: customer.contact_name,
      payment_mode: body.payment_mode,
      amount: Number(amount),
      unused_amount: asNumber(subtract(amount, applied)),
      amount_refunded: 0,
      bank_charges: Number(body.bank_charges ?? 0),
      date: body.date,
      status: "success",
      reference_number: body.reference_number ?? "",
      description: body.description ?? "",
      account_id: account?.account_id ?? "",
      account_name: account?.account_name ?? "",
      invoices: entries.map((entry) => ({ ...entry, balance_amount: org.invoices.get(String(entry.invoice_id))!.balance })),
      invoice_numbers: entries.map((entry) => entry.invoice_number).join(","),
      currency_code: customer.currency_code,
      created_time: stamp(now()),
      last_modified_time: stamp(now()),
    };
    org.payments.set(paymentId, payment);
    return envelope(201, { code: 0, message: "The payment has been created.", payment });
  }

  function applyCredit(org: Organization, id: string, body: BooksRecord): Response {
    const note = org.creditNotes.get(id);
    if (!note) return zohoError(404, 1002, "Credit note does not exist.");
    for (const entry of (body.invoices as BooksRecord[]) ?? []) {
      const invoice = org.invoices.get(String(entry.invoice_id));
      if (!invoice || invoice.customer_id !== note.customer_id) return zohoError(400, 1002, "Invoice does not exist.");
      const amount = String(entry.amount_applied);
      if (compare(amount, String(note.balance)) > 0 || compare(amount, String(invoice.balance)) > 0) return zohoError(400, 4, "The amount applied exceeds the available credit or the invoice balance.");
      settle(invoice, amount, "credits_applied");
      note.balance = asNumber(subtract(String(note.balance), amount));
      (note.invoices as BooksRecord[]).push({ invoice_id: invoice.invoice_id, invoice_number: invoice.invoice_number, amount_applied: Number(amount) });
    }
    if (isZero(String(note.balance))) note.status = "closed";
    return envelope(200, { code: 0, message: "Credits have been applied to the invoice(s)." });
  }

  /** The simulator's stand-in for Zoho's web app: one record, readable. */
  function recordPage(organizationId: string, kind: string, id: string): Response {
    const org = store.organizations.get(organizationId);
    const collection = org && { contacts: org.contacts, invoices: org.invoices, creditnotes: org.creditNotes, paymentsreceived: org.payments }[kind];
    const record = collection?.get(id);
    if (!record) return new Response("<h1>Not found</h1>", { status: 404, headers: { "content-type": "text/html" } });
    const title = String(record.contact_name ?? record.invoice_number ?? record.creditnote_number ?? record.payment_number ?? id);
    return new Response(`<!doctype html><title>${escapeHtml(title)} · Zoho Books (simulator)</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(org!.details.name)} · ${kind} · ${id}</p><pre>${escapeHtml(JSON.stringify(record, null, 2))}</pre>`, { headers: { "content-type": "text/html; charset=utf-8" } });
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.endsWith("/oauth/v2/auth")) return request.method === "POST" ? consentDecision(await formParams(request)) : consentPage(url.searchParams);
    if (path.endsWith("/oauth/v2/token")) return tokenEndpoint(request);
    if (path.endsWith("/oauth/v2/token/revoke")) return revokeEndpoint(request);
    const page = /\/app\/(\d+)\/(contacts|invoices|creditnotes|paymentsreceived)\/(\d+)$/.exec(path);
    if (page) return recordPage(page[1]!, page[2]!, page[3]!);
    const marker = path.indexOf("/books/v3");
    if (marker < 0) return zohoError(404, 5, "Invalid URL Passed");
    return withNetworkFaults(faults, faultRandom, () => zohoError(500, 1000, "Internal error"), () => books(request, url, path.slice(marker + "/books/v3".length) || "/"));
  }

  return {
    handle,
    store,
    faults,
    calls,
    peaks,
    resetFaults: () => Object.assign(faults, NO_FAULTS),
    /** Spends an organization's daily calls, as other integrations sharing its quota would. */
    spendDailyQuota(organizationId: string, calls: number) {
      const limits = store.organizations.get(organizationId)!.limits;
      Object.assign(limits, { day: String(Math.floor(now() / dayMs)), usedToday: limits.usedToday + calls });
    },
    /** Registers an OAuth client, as creating one in Zoho's API console would. */
    registerClient: (client: { clientId: string; clientSecret: string; redirectUris: string[] }) => store.clients.set(client.clientId, client),
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!);
}

export type ZohoSimulator = ReturnType<typeof createZohoSimulator>;

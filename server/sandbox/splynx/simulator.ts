// A Splynx API v2.0 server in a fetch-style handler: auth, lists, CRUD, side effects, faults and call counts.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { add, compare } from "@/server/money";
import { splynxSignature } from "@/server/splynx/signature";
import { withNetworkFaults, type NetworkFaults } from "../faults";
import { parsePhpQuery, QueryError, satisfies, type PhpValue } from "./php-query";
import { seededRandom } from "./random";
import { seedStore, type SeedOptions } from "./seed";
import { createStore, type ApiKey, type Collection, type SplynxStore, type WireRecord } from "./store";

type Method = "GET" | "POST" | "PUT" | "DELETE";
type FieldError = { field: string; message: string };
type Resource = {
  collection: keyof Omit<SplynxStore, "apiKeys" | "tokens">;
  methods: Method[];
  validate?: (body: Record<string, unknown>, store: SplynxStore, existing?: WireRecord) => FieldError[];
  defaults?: (body: Record<string, unknown>, now: Date) => Record<string, unknown>;
  afterCreate?: (record: WireRecord, store: SplynxStore) => void;
};

const ALL: Method[] = ["GET", "POST", "PUT", "DELETE"];
const day = (now: Date) => now.toISOString().slice(0, 10);
const stamp = (now: Date) => now.toISOString().slice(0, 19).replace("T", " ");
const isBlank = (value: unknown) => value === undefined || value === null || value === "";

function requireFields(body: Record<string, unknown>, fields: [string, string][]): FieldError[] {
  return fields.filter(([field]) => isBlank(body[field])).map(([field, label]) => ({ field, message: `${label} is required` }));
}

function customerExists(store: SplynxStore, body: Record<string, unknown>): FieldError[] {
  return !isBlank(body.customer_id) && !store.customers.get(Number(body.customer_id)) ? [{ field: "customer_id", message: "Customer not found" }] : [];
}

/** A payment with `invoice_id` pays that invoice: `due` drops, and at zero it becomes paid. */
function applyPaymentToInvoice(payment: WireRecord, store: SplynxStore) {
  const invoice = payment.invoice_id ? store.invoices.get(Number(payment.invoice_id)) : undefined;
  if (!invoice) return;
  const due = add([String(invoice.due), `-${String(payment.amount)}`], 2);
  const settled = compare(due, "0") <= 0;
  Object.assign(invoice, { due: settled ? 0 : Number(due), ...(settled ? { status: "paid", payment_id: payment.id, date_payment: payment.date } : {}) });
  store.invoiceRelations.insert({ customer_id: payment.customer_id, payer_id: payment.id, type: "payment", invoice_id: invoice.id, transaction_id: 0, amount: Number(payment.amount) });
}

const RESOURCES: Record<string, Resource> = {
  "admin/customers/customer": {
    collection: "customers",
    methods: ALL,
    validate: (body, _store, existing) => (existing ? [] : requireFields(body, [["name", "Full name"], ["partner_id", "Partner"], ["location_id", "Location"]])),
    defaults: (_body, now) => ({ status: "new", category: "person", date_add: day(now), last_update: stamp(now), added_by: "api", additional_attributes: {}, customer_labels: [] }),
  },
  "admin/finance/invoices": {
    collection: "invoices",
    methods: ALL,
    validate: (body, store, existing) => (existing ? [] : [...requireFields(body, [["customer_id", "Customer ID"], ["number", "Number"], ["status", "Status"], ["items", "Items"]]), ...customerExists(store, body)]),
  },
  "admin/finance/credit-notes": {
    collection: "creditNotes",
    methods: ALL,
    validate: (body, store, existing) => (existing ? [] : [...requireFields(body, [["customer_id", "Customer ID"], ["number", "Number"], ["status", "Status"], ["items", "Items"]]), ...customerExists(store, body)]),
  },
  "admin/finance/payments": {
    collection: "payments",
    methods: ALL,
    validate: (body, store, existing) => {
      if (existing) return [];
      const errors = [...requireFields(body, [["customer_id", "Customer ID"], ["payment_type", "Payment type"], ["date", "Date"]]), ...customerExists(store, body)];
      if (isBlank(body.amount) || Number(body.amount) === 0 || !Number.isFinite(Number(body.amount))) errors.push({ field: "amount", message: "Invalid sum, only a value greater or less than 0 is allowed!" });
      if (!isBlank(body.payment_type) && !store.paymentMethods.get(Number(body.payment_type))) errors.push({ field: "payment_type", message: "Payment type not found" });
      if (!isBlank(body.date) && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.date))) errors.push({ field: "date", message: "The format of Date is invalid." });
      const invoice = isBlank(body.invoice_id) ? undefined : store.invoices.get(Number(body.invoice_id));
      if (!isBlank(body.invoice_id) && (!invoice || invoice.customer_id !== Number(body.customer_id))) errors.push({ field: "invoice_id", message: "Invoice not found" });
      return errors;
    },
    defaults: (body, now) => ({ invoice_id: null, credit_note_id: null, request_id: null, transaction_id: 0, payment_statement_id: null, receipt_number: "", comment: "", is_sent: "0", field_1: "", field_2: "", field_3: "", field_4: "", field_5: "", note: "", memo: "", remind_amount: body.invoice_id ? "0.0000" : `${Number(body.amount).toFixed(4)}`, added_by: "api", added_by_id: 1, real_create_datetime: stamp(now), updated_at: stamp(now) }),
    afterCreate: applyPaymentToInvoice,
  },
  "admin/finance/payment-methods": { collection: "paymentMethods", methods: ALL },
  "admin/finance/transaction-categories": { collection: "transactionCategories", methods: ALL },
  "admin/config/taxes": { collection: "taxes", methods: ["GET"] },
  "admin/administration/partners": { collection: "partners", methods: ALL },
  "admin/administration/locations": { collection: "locations", methods: ALL },
  "admin/finance/invoice-relations": { collection: "invoiceRelations", methods: ["GET"] },
  "admin/finance/bank-statements": {
    collection: "bankStatements",
    methods: ALL,
    validate: (body, _store, existing) => (existing ? [] : requireFields(body, [["title", "File name"]])),
    defaults: (_body, now) => ({ date_time: stamp(now), handler: "", status: "new", filename_original: "", filename_uploaded: "", filename_parsed: "", records: 0, processed: 0, errors: 0, new: 0, canceled: 0, ignored: 0, manual_paired: 0, pending: 0, payment_type: 0, delimiter: "tabulator", pair_to_inactive_customers: "1" }),
  },
  "admin/finance/bank-statements-records": {
    collection: "bankStatementRecords",
    methods: ALL,
    validate: (body, store, existing) => {
      if (existing) return [];
      const errors = requireFields(body, [["bank_statements_process_id", "Payment Statement ID"]]);
      if (!isBlank(body.bank_statements_process_id) && !store.bankStatements.get(Number(body.bank_statements_process_id))) errors.push({ field: "bank_statements_process_id", message: "Payment statement not found" });
      return errors;
    },
    defaults: (_body, now) => ({ datetime: stamp(now), payment_date: day(now), amount: "0.0000", status: "new", pairing_1: "", pairing_2: "", pairing_3: "", additional_1: "", additional_2: "", additional_3: "", comment: "", customer_id: null, invoice_id: null, credit_note_id: null, request_id: null, payment_id: null, transaction_id: null }),
    afterCreate: (record, store) => {
      const statement = store.bankStatements.get(Number(record.bank_statements_process_id));
      if (statement) statement.records = Number(statement.records) + 1;
    },
  },
};

export type SplynxFaults = NetworkFaults & {
  /** Added to every answer. */
  latencyMs: number;
  /** Share of listed records sent with a broken field. */
  malformedRate: number;
  /** Every access token is answered as expired. */
  expireTokens: boolean;
};

const NO_FAULTS: SplynxFaults = { latencyMs: 0, serverErrorRate: 0, dropRate: 0, dropPhase: "before", malformedRate: 0, expireTokens: false };

export type SimulatorOptions = SeedOptions & { apiKeys?: Omit<ApiKey, "lastNonce">[]; now?: () => Date; accessTokenSeconds?: number };

function errorBody(status: number, internalCode: string, message: string): Response {
  return Response.json({ error: { message, code: status, internal_code: internalCode } }, { status });
}

function readSchemas(): Record<string, unknown> {
  const file = path.join(process.cwd(), "specs/splynx/live-probe-2025-09-options-and-samples.json");
  if (!existsSync(file)) return {};
  const probe = JSON.parse(readFileSync(file, "utf8")) as { endpoint_analysis: Record<string, { schema?: unknown }> };
  return Object.fromEntries(Object.entries(probe.endpoint_analysis).filter(([, entry]) => entry.schema).map(([key, entry]) => [key, entry.schema]));
}

/** The schema a live server returned for OPTIONS, else one read off a record of the collection. */
function optionsFor(resourcePath: string, sample: WireRecord | undefined, schemas: Record<string, unknown>) {
  if (schemas[resourcePath]) return schemas[resourcePath];
  const type = (value: unknown) => (typeof value === "number" ? (Number.isInteger(value) ? "integer" : "float") : Array.isArray(value) ? "array" : "string");
  return {
    attributes: Object.entries(sample ?? { id: 0 }).map(([name, value]) => ({ name, title: name.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase()), type: type(value), required: false })),
    additional_attributes: [],
  };
}

function compareForOrder(left: unknown, right: unknown): number {
  const numeric = typeof left === "number" || (typeof left === "string" && left !== "" && !Number.isNaN(Number(left)));
  return numeric ? Number(left) - Number(right) : String(left ?? "").localeCompare(String(right ?? ""));
}

export function createSplynxSimulator(options: SimulatorOptions) {
  const store = createStore();
  seedStore(store, options);
  const keys = options.apiKeys ?? [{ key: "sandbox-key", secret: "sandbox-secret", title: "Sandbox", checkNonce: true, unsecureAccess: false }];
  for (const key of keys) store.apiKeys.set(key.key, { ...key, lastNonce: 0n });
  const now = options.now ?? (() => new Date());
  const faults: SplynxFaults = { ...NO_FAULTS };
  const faultRandom = seededRandom(options.seed ^ 0x5eed);
  const calls = new Map<string, number>();
  let schemas: Record<string, unknown> | undefined;

  function count(method: string, template: string) {
    const key = `${method} ${template}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
  }

  function issueTokens(key: string) {
    const seconds = Math.floor(now().getTime() / 1000);
    const token = { access: randomBytes(16).toString("hex"), refresh: randomBytes(16).toString("hex"), accessExpires: seconds + (options.accessTokenSeconds ?? 1800), refreshExpires: seconds + 30 * 86_400, key };
    store.tokens.set(token.access, token);
    store.tokens.set(`refresh:${token.refresh}`, token);
    return { access_token: token.access, access_token_expiration: token.accessExpires, refresh_token: token.refresh, refresh_token_expiration: token.refreshExpires };
  }

  /** Checks key, signature and (when the key asks for it) that the nonce increases. */
  function verifySignature(keyValue: string, nonceText: string, signature: string): ApiKey | Response {
    const apiKey = store.apiKeys.get(keyValue);
    if (!apiKey) return errorBody(401, "UNAUTHORIZED", "API key is not valid");
    if (!/^\d+$/.test(nonceText)) return errorBody(401, "UNAUTHORIZED", "Nonce is not valid");
    const expected = Buffer.from(splynxSignature({ key: apiKey.key, secret: apiKey.secret, nonce: BigInt(nonceText) }));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return errorBody(401, "UNAUTHORIZED", "Signature is not valid");
    const nonce = BigInt(nonceText);
    if (apiKey.checkNonce && nonce <= apiKey.lastNonce) return errorBody(401, "UNAUTHORIZED", "Nonce is not valid: it must be greater than the last one used");
    if (nonce > apiKey.lastNonce) apiKey.lastNonce = nonce;
    return apiKey;
  }

  function authenticate(request: Request): ApiKey | Response {
    const header = request.headers.get("authorization");
    if (!header) return errorBody(401, "MISSED_AUTHORIZATION_HEADER", "Authorization header is missed");
    if (header.startsWith("Basic ")) {
      const [keyValue, ...secretParts] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
      const apiKey = store.apiKeys.get(keyValue ?? "");
      if (!apiKey || apiKey.secret !== secretParts.join(":") || !apiKey.unsecureAccess) return errorBody(401, "UNAUTHORIZED", "Unauthorized");
      return apiKey;
    }
    const match = /^Splynx-EA \((.*)\)$/.exec(header.trim());
    if (!match) return errorBody(401, "UNAUTHORIZED", "Unauthorized");
    const params = new URLSearchParams(match[1]);
    if (params.has("access_token")) {
      const accessToken = params.get("access_token") ?? "";
      if (!accessToken) return errorBody(401, "EMPTY_ACCESS_TOKEN", "Access token is missed");
      const token = store.tokens.get(accessToken);
      if (!token) return errorBody(401, "UNAUTHORIZED", "Access token is not valid");
      if (faults.expireTokens || token.accessExpires <= now().getTime() / 1000) return errorBody(401, "EXPIRED_ACCESS_TOKEN", "Access token expired");
      return store.apiKeys.get(token.key)!;
    }
    return verifySignature(params.get("key") ?? "", params.get("nonce") ?? "", params.get("signature") ?? "");
  }

  async function tokenEndpoint(request: Request, rest: string): Promise<Response> {
    if (request.method === "POST" && rest === "") {
      count("POST", "admin/auth/tokens");
      const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
      if (body.auth_type !== "api_key") return errorBody(401, body.auth_type ? "UNAUTHORIZED" : "INVALID_AUTH_TYPE", body.auth_type ? "Unauthorized" : "Invalid authentication type");
      const verified = verifySignature(String(body.key ?? ""), String(body.nonce ?? ""), String(body.signature ?? ""));
      if (verified instanceof Response) return verified;
      return Response.json({ ...issueTokens(verified.key), permissions: [] }, { status: 201 });
    }
    if (rest === "") return errorBody(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    count(request.method, "admin/auth/tokens/{refresh_token}");
    const token = store.tokens.get(`refresh:${rest}`);
    if (!token) return errorBody(404, "NOT_FOUND", "Refresh token not found");
    if (request.method === "DELETE") {
      store.tokens.delete(token.access);
      store.tokens.delete(`refresh:${token.refresh}`);
      return new Response(null, { status: 204 });
    }
    if (token.refreshExpires <= now().getTime() / 1000) return errorBody(401, "EXPIRED_REFRESH_TOKEN", "Refresh token expired");
    store.tokens.delete(token.access);
    store.tokens.delete(`refresh:${token.refresh}`);
    return Response.json(issueTokens(token.key));
  }

  function malformed(record: WireRecord): WireRecord {
    if (faults.malformedRate <= 0 || !faultRandom.chance(faults.malformedRate)) return record;
    const broken = { ...record };
    const field = ["total", "amount", "customer_id", "name", "date_created"].find((candidate) => candidate in broken) ?? "id";
    broken[field] = field === "name" ? { unexpected: true } : "not-a-number";
    return broken;
  }

  function list(collection: Collection, search: URLSearchParams): WireRecord[] | Response {
    const query = parsePhpQuery(search);
    const main = (query.main_attributes ?? {}) as Record<string, PhpValue>;
    const additional = (query.additional_attributes ?? {}) as Record<string, PhpValue>;
    const idAfter = Array.isArray(main.id) && main.id[0] === ">" && typeof main.id[1] === "string" ? Number(main.id[1]) : 0;
    const order = Object.entries((query.order ?? {}) as Record<string, string>);
    const offset = Number(search.get("offset") ?? 0) || 0;
    const limit = search.has("limit") ? Number(search.get("limit")) : Infinity;
    // Rows are kept in id order, so an id-ordered page can stop as soon as it is full.
    const naturalOrder = order.length === 0 || (order.length === 1 && order[0]![0] === "id" && String(order[0]![1]).toUpperCase() === "ASC");
    const matches = (row: WireRecord) =>
      Object.entries(main).every(([field, condition]) => satisfies(row[field], condition)) &&
      Object.entries(additional).every(([field, condition]) => satisfies((row.additional_attributes as Record<string, unknown> | undefined)?.[field], condition));
    const rows: WireRecord[] = [];
    try {
      for (const row of collection.after(idAfter)) {
        if (!matches(row)) continue;
        rows.push(row);
        if (naturalOrder && rows.length >= offset + limit) break;
      }
    } catch (error) {
      if (error instanceof QueryError) return errorBody(400, "BAD_REQUEST", error.message);
      throw error;
    }
    if (!naturalOrder) {
      rows.sort((left, right) => {
        for (const [field, direction] of order) {
          const difference = compareForOrder(left[field], right[field]);
          if (difference !== 0) return String(direction).toUpperCase() === "DESC" ? -difference : difference;
        }
        return 0;
      });
    }
    return rows.slice(offset, offset + limit);
  }

  async function resourceEndpoint(request: Request, apiKey: ApiKey, resourcePath: string, idText: string | undefined, search: URLSearchParams): Promise<Response> {
    const resource = RESOURCES[resourcePath]!;
    const collection = store[resource.collection] as Collection;
    const method = (request.method === "HEAD" ? "GET" : request.method) as Method;
    count(request.method, idText ? `${resourcePath}/{id}` : resourcePath);

    if (request.method === "OPTIONS") {
      schemas ??= readSchemas();
      return Response.json(optionsFor(resourcePath, collection.all()[0], schemas));
    }
    if (!resource.methods.includes(method) || (!idText && (method === "PUT" || method === "DELETE")) || (idText && method === "POST")) {
      return errorBody(405, "METHOD_DISABLED", "Method is disabled!");
    }
    const allowed = apiKey.permissions?.[resourcePath];
    if (apiKey.permissions && !allowed?.includes(method)) return errorBody(403, "FORBIDDEN", "You do not have permission to do this action");

    if (request.method === "HEAD") {
      const rows = list(collection, search);
      if (rows instanceof Response) return rows;
      return new Response(null, { status: 204, headers: { "X-total-count": String(rows.length), "Access-Control-Expose-Headers": "X-total-count" } });
    }
    if (method === "GET" && !idText) {
      const rows = list(collection, search);
      return rows instanceof Response ? rows : Response.json(rows.map(malformed));
    }
    if (method === "POST") {
      const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object" || Array.isArray(body)) return Response.json([{ field: "", message: "Request body must be a JSON object" }], { status: 422 });
      const errors = resource.validate?.(body, store) ?? [];
      if (errors.length > 0) return Response.json(errors, { status: 422 });
      const record = collection.insert({ ...resource.defaults?.(body, now()), ...body, id: undefined } as Omit<WireRecord, "id">);
      resource.afterCreate?.(record, store);
      return Response.json({ id: record.id }, { status: 201 });
    }
    const record = /^\d+$/.test(idText ?? "") ? collection.get(Number(idText)) : undefined;
    if (!record) return errorBody(404, "NOT_FOUND", "Entity not found");
    if (method === "GET") return Response.json(record);
    if (method === "DELETE") {
      collection.remove(record.id);
      return new Response(null, { status: 204 });
    }
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object") return Response.json([{ field: "", message: "Request body must be a JSON object" }], { status: 422 });
    const errors = resource.validate?.(body, store, record) ?? [];
    if (errors.length > 0) return Response.json(errors, { status: 422 });
    Object.assign(record, body, { id: record.id });
    return new Response(null, { status: 202 });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const marker = url.pathname.indexOf("/api/2.0/");
    if (marker < 0) return errorBody(404, "NOT_FOUND", "Not found");
    const apiPath = decodeURIComponent(url.pathname.slice(marker + "/api/2.0/".length)).replace(/\/+$/, "");

    if (apiPath === "admin/api/check") {
      count("GET", "admin/api/check");
      if (url.searchParams.get("checkAuth")) {
        const apiKey = authenticate(request);
        if (apiKey instanceof Response) return apiKey;
      }
      return Response.json({ status: "ok", message: "API is valid", same_server: 0 });
    }
    if (apiPath === "admin/auth/tokens" || apiPath.startsWith("admin/auth/tokens/")) return tokenEndpoint(request, apiPath.slice("admin/auth/tokens".length).replace(/^\//, ""));

    const resourcePath = Object.keys(RESOURCES).find((candidate) => apiPath === candidate || apiPath.startsWith(`${candidate}/`));
    if (!resourcePath) {
      count(request.method, apiPath);
      return errorBody(404, "NOT_FOUND", "Page not found");
    }
    const apiKey = authenticate(request);
    if (apiKey instanceof Response) {
      count(request.method, resourcePath);
      return apiKey;
    }
    const idText = apiPath.slice(resourcePath.length + 1) || undefined;
    return resourceEndpoint(request, apiKey, resourcePath, idText, url.searchParams);
  }

  async function handle(request: Request): Promise<Response> {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    return withNetworkFaults(faults, faultRandom, () => errorBody(500, "SERVER_ERROR", "Internal server error"), () => route(request));
  }

  return {
    handle,
    store,
    faults,
    calls,
    /** Total calls counted, optionally only those whose "METHOD path" starts with `prefix`. */
    callCount(prefix = "") {
      let total = 0;
      for (const [key, value] of calls) if (key.startsWith(prefix)) total += value;
      return total;
    },
    resetFaults() {
      Object.assign(faults, NO_FAULTS);
    },
  };
}

export type SplynxSimulator = ReturnType<typeof createSplynxSimulator>;

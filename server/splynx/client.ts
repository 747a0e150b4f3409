// The Splynx API v2.0 client: auth, timeouts, classified errors, retried reads, streamed listings and the writes the sync needs.
import { z } from "zod";
import { ExchangeFailed, exchangeWithin } from "@/server/net/exchange";
import { errorFromResponse, SplynxError } from "./errors";
import { splynxId } from "./fields";
import { keyFingerprint, type NonceSource } from "./nonces";
import { encodeListQuery, type Condition, type ListQuery } from "./query";
import { RESOURCES, type ResourceName, type SplynxRecord } from "./records";
import { signatureHeader, splynxSignature } from "./signature";

export type SplynxAuthMode = "signature" | "token";

export type SplynxClientOptions = {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  authMode: SplynxAuthMode;
  nonces: NonceSource;
  /** Injected so production can route through the URL guard and the sandbox through the in-process simulator. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Attempts for idempotent reads on 5xx, network errors and timeouts (writes get exactly one). */
  readAttempts?: number;
  backoffMs?: number;
  /**
   * Waits before signing again after Splynx refused a signature. Splynx's words for a stale nonce are not
   * documented, so any refusal counts; the waits let the clock-based nonce pass those another tool took with this key
   * (Splynx's PHP client adds one per request to its centisecond clock). Bounded: a wrong secret fails after them.
   */
  signatureRetryDelaysMs?: number[];
  /** The most an answer may weigh, and the most records one listing may yield (memory is shared by every tenant). */
  maxBodyBytes?: number;
  maxListRecords?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

const SIGNATURE_RETRY_DELAYS_MS = [100, 300, 900];
/** A page of 500 invoices with their items is about a megabyte; far more is a broken or hostile server. */
const MAX_BODY_BYTES = 16 * 1_048_576;
/** No ISP's book comes near this; a server that keeps sending pages past it is not ending its listing. */
const MAX_LIST_RECORDS = 2_000_000;

export type RejectedRecord = { id: string | null; field: string; message: string };
export type Page<R extends ResourceName> = {
  records: SplynxRecord<R>[];
  rejected: RejectedRecord[];
  lastId: number | null;
};
export type ListOptions = { filter?: Record<string, Condition>; pageSize?: number; after?: number };

type Tokens = { access: string; accessExpires: number; refresh: string; refreshExpires: number };

const tokenResponse = z.object({
  access_token: z.string().min(1),
  access_token_expiration: z.coerce.number(),
  refresh_token: z.string().min(1),
  refresh_token_expiration: z.coerce.number(),
});
const createdResponse = z.object({ id: splynxId });

type RequestSpec = {
  method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  path: string;
  query?: string;
  body?: unknown;
  idempotent: boolean;
};

export class SplynxClient {
  private readonly fingerprint: string;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private tokens: Tokens | null = null;
  private pendingToken: Promise<string> | null = null;
  /** Calls sent, for progress reports and benchmarks. */
  calls = 0;

  constructor(private readonly options: SplynxClientOptions) {
    this.fingerprint = keyFingerprint(options.apiKey);
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  private url(path: string, query?: string): string {
    const base = this.options.baseUrl.replace(/\/+$/, "");
    return `${base}/api/2.0/${path}${query ? `?${query}` : ""}`;
  }

  private async createTokens(): Promise<Tokens> {
    const body = await this.options.nonces.inOrder(this.fingerprint, (nonce) => {
      const signature = splynxSignature({ key: this.options.apiKey, secret: this.options.apiSecret, nonce });
      return this.exchange(
        {
          method: "POST",
          path: "admin/auth/tokens",
          body: { auth_type: "api_key", key: this.options.apiKey, nonce: Number(nonce), signature },
          idempotent: false,
        },
        null,
      );
    });
    return this.readTokens(body);
  }

  private readTokens(body: unknown): Tokens {
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success) throw new SplynxError("bad_response", "Splynx sent a token response without the token fields");
    const tokens = parsed.data;
    return {
      access: tokens.access_token,
      accessExpires: tokens.access_token_expiration,
      refresh: tokens.refresh_token,
      refreshExpires: tokens.refresh_token_expiration,
    };
  }

  /** A valid access token; concurrent callers share one renewal. */
  private accessToken(): Promise<string> {
    this.pendingToken ??= this.freshAccessToken().finally(() => {
      this.pendingToken = null;
    });
    return this.pendingToken;
  }

  /** Renewed 5 s before expiry while the refresh token lives, re-created otherwise. */
  private async freshAccessToken(): Promise<string> {
    const nowSeconds = this.now() / 1000;
    if (this.tokens && nowSeconds + 5 < this.tokens.accessExpires) return this.tokens.access;
    if (this.tokens && nowSeconds + 5 < this.tokens.refreshExpires) {
      try {
        const renewed = await this.exchange(
          { method: "GET", path: `admin/auth/tokens/${encodeURIComponent(this.tokens.refresh)}`, idempotent: true },
          null,
        );
        this.tokens = this.readTokens(renewed);
        return this.tokens.access;
      } catch (error) {
        if (!(error instanceof SplynxError) || error.transient) throw error;
      }
    }
    this.tokens = await this.createTokens();
    return this.tokens.access;
  }

  /** One exchange with the connection's credentials: a signature with the next nonce, in order, or the token. */
  private async authorized(spec: RequestSpec): Promise<unknown> {
    if (this.options.authMode === "token")
      return this.exchange(spec, `Splynx-EA (access_token=${await this.accessToken()})`);
    const { apiKey: key, apiSecret: secret } = this.options;
    return this.options.nonces.inOrder(this.fingerprint, (nonce) =>
      this.exchange(spec, signatureHeader({ key, secret, nonce })),
    );
  }

  /** One HTTP exchange; `authorization` null means the call carries its own credentials (token endpoints). */
  private async exchange(spec: RequestSpec, authorization: string | null): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json", "user-agent": "Ledgerlink Splynx client" };
    if (authorization) headers.authorization = authorization;
    if (spec.body !== undefined) headers["content-type"] = "application/json";
    this.calls++;
    const limit = this.options.maxBodyBytes ?? MAX_BODY_BYTES;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const init = {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      redirect: "manual" as const,
    };
    const url = this.url(spec.path, spec.query);
    const { response, text: bodyText } = await exchangeWithin(this.fetchImpl, url, init, {
      timeoutMs,
      maxBodyBytes: limit,
    }).catch((error: unknown) => {
      if (!(error instanceof ExchangeFailed)) throw error;
      const where = { method: spec.method, path: spec.path, ...(error.status ? { status: error.status } : {}) };
      const failed = `${spec.method} ${spec.path}`;
      if (error.failure === "timeout")
        throw new SplynxError("timeout", `Splynx did not answer ${failed} within ${timeoutMs / 1000} s`, where);
      if (error.failure === "unreachable")
        throw new SplynxError("network", `Could not reach Splynx (${error.message})`, where);
      if (error.failure === "too_large")
        throw new SplynxError(
          "bad_response",
          `Splynx's answer to ${failed} passed ${limit / 1_048_576} MB; Ledgerlink stopped reading it`,
          where,
        );
      throw new SplynxError("network", `The connection dropped while reading ${failed}`, where);
    });
    if (response.status >= 300 && response.status < 400) {
      throw new SplynxError(
        "bad_request",
        `Splynx redirected to ${response.headers.get("location") ?? "elsewhere"}; check the base URL`,
        { status: response.status },
      );
    }
    if (!response.ok) throw errorFromResponse(response.status, bodyText, spec);
    if (spec.method === "HEAD") return response.headers.get("x-total-count");
    if (response.status === 204 || bodyText === "") return null;
    try {
      return JSON.parse(bodyText) as unknown;
    } catch {
      throw new SplynxError("bad_response", `Splynx sent a body that is not JSON for ${spec.method} ${spec.path}`, {
        status: response.status,
      });
    }
  }

  /**
   * Sends with auth; retries reads on transient failures, a refused signature after a wait (a stale nonce), and any
   * call once after an expired token. A refused token or nonce is refused before Splynx does anything, so even a write
   * may go again.
   */
  async request(spec: RequestSpec): Promise<unknown> {
    const attempts = spec.idempotent ? (this.options.readAttempts ?? 4) : 1;
    const signatureWaits = [...(this.options.signatureRetryDelaysMs ?? SIGNATURE_RETRY_DELAYS_MS)];
    let tokenRenewed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.authorized(spec);
      } catch (error) {
        if (!(error instanceof SplynxError)) throw error;
        if (error.kind === "auth" && this.options.authMode === "signature") {
          const wait = signatureWaits.shift();
          if (wait === undefined) throw error;
          await this.sleep(wait);
          continue;
        }
        if (error.kind === "auth" && !tokenRenewed && this.renewableToken(error)) {
          tokenRenewed = true;
          this.tokens = null;
          continue;
        }
        if (!error.transient || attempt >= attempts) throw error;
        await this.sleep((this.options.backoffMs ?? 250) * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  }

  private renewableToken(error: SplynxError): boolean {
    return error.details.internalCode === "EXPIRED_ACCESS_TOKEN" || error.details.internalCode === "TOKEN_BANNED";
  }

  /**
   * Streams a collection page by page in id order, resuming after `after`. Keyset paging (`id > last`) rather than
   * offsets, so records added or removed during a long read neither repeat nor slip between pages. The listing ends
   * at an empty page, not a short one: a server may cap pages below `pageSize` (Splynx documents no maximum).
   */
  async *pages<R extends ResourceName>(resource: R, options: ListOptions = {}): AsyncGenerator<Page<R>> {
    const { path, schema } = RESOURCES[resource];
    const pageSize = options.pageSize ?? 500;
    const maxRecords = this.options.maxListRecords ?? MAX_LIST_RECORDS;
    let lastId = options.after ?? 0;
    let listed = 0;
    for (;;) {
      const query: ListQuery = {
        main_attributes: { ...options.filter, id: [">", lastId] },
        order: { id: "ASC" },
        limit: pageSize,
      };
      const body = await this.request({ method: "GET", path, query: encodeListQuery(query), idempotent: true });
      if (!Array.isArray(body))
        throw new SplynxError("bad_response", `Splynx sent ${typeof body} instead of a list for ${path}`);
      if (body.length === 0) return;
      if (body.length > pageSize)
        throw new SplynxError(
          "bad_response",
          `Splynx sent ${body.length} records of ${path} for a page of ${pageSize}`,
        );
      listed += body.length;
      if (listed > maxRecords)
        throw new SplynxError(
          "bad_response",
          `Splynx kept sending ${path} past ${maxRecords} records; Ledgerlink stopped reading the list`,
        );
      const page: Page<R> = { records: [], rejected: [], lastId: null };
      for (const raw of body) {
        const rawId = (raw as { id?: unknown } | null)?.id;
        const numericId = Number(rawId);
        if (Number.isInteger(numericId) && numericId > lastId) page.lastId = Math.max(page.lastId ?? 0, numericId);
        const parsed = schema.safeParse(raw);
        if (parsed.success) page.records.push(parsed.data as SplynxRecord<R>);
        else {
          const issue = parsed.error.issues[0]!;
          page.rejected.push({
            id: rawId === undefined || rawId === null ? null : String(rawId),
            field: issue.path.join(".") || "(record)",
            message: issue.message,
          });
        }
      }
      yield page;
      // Without a readable id past the last one, the next page would repeat this one.
      if (page.lastId === null) return;
      lastId = page.lastId;
    }
  }

  /**
   * Which of these ids Splynx still has. A short answer may be a server's page cap, so the ids it left out are asked
   * again until an answer is empty: only then are they gone.
   */
  async existingIds(resource: ResourceName, ids: number[]): Promise<Set<number>> {
    const found = new Set<number>();
    let asking = ids;
    while (asking.length > 0) {
      const query: ListQuery = { main_attributes: { id: ["IN", asking] }, limit: asking.length };
      const body = await this.request({
        method: "GET",
        path: RESOURCES[resource].path,
        query: encodeListQuery(query),
        idempotent: true,
      });
      if (!Array.isArray(body))
        throw new SplynxError(
          "bad_response",
          `Splynx sent ${typeof body} instead of a list for ${RESOURCES[resource].path}`,
        );
      const answered = body
        .map((raw) => Number((raw as { id?: unknown } | null)?.id))
        .filter((id) => asking.includes(id) && !found.has(id));
      if (answered.length === 0) break;
      for (const id of answered) found.add(id);
      asking = asking.filter((id) => !found.has(id));
    }
    return found;
  }

  async get<R extends ResourceName>(resource: R, id: number): Promise<SplynxRecord<R>> {
    const { path, schema } = RESOURCES[resource];
    const body = await this.request({ method: "GET", path: `${path}/${id}`, idempotent: true });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SplynxError("bad_response", `Splynx ${resource} ${id}: ${issue.path.join(".")}: ${issue.message}`);
    }
    return parsed.data as SplynxRecord<R>;
  }

  /** How many records match, from `HEAD` and its `X-total-count` header. */
  async count(resource: ResourceName, filter: Record<string, Condition> = {}): Promise<number> {
    const header = await this.request({
      method: "HEAD",
      path: RESOURCES[resource].path,
      query: encodeListQuery({ main_attributes: filter }),
      idempotent: true,
    });
    const total = Number(header);
    if (header === null || !Number.isInteger(total))
      throw new SplynxError("bad_response", "Splynx sent no X-total-count header");
    return total;
  }

  private async create(path: string, body: Record<string, unknown>): Promise<number> {
    const response = await this.request({ method: "POST", path, body, idempotent: false });
    const parsed = createdResponse.safeParse(response);
    if (!parsed.success) throw new SplynxError("bad_response", `Splynx accepted ${path} but sent no id`);
    return parsed.data.id;
  }

  createPayment(input: PaymentInput): Promise<number> {
    return this.create(RESOURCES.payments.path, input);
  }

  createPaymentStatement(input: PaymentStatementInput): Promise<number> {
    return this.create(RESOURCES.paymentStatements.path, input);
  }

  createPaymentStatementRecord(input: PaymentStatementRecordInput): Promise<number> {
    return this.create(RESOURCES.paymentStatementRecords.path, input);
  }

  /** Splynx's own liveness check (`admin/api/check`), which needs no permission. */
  async check(): Promise<void> {
    await this.request({ method: "GET", path: "admin/api/check", idempotent: true });
  }

  /** Sends a raw request (the connection test probes permissions with it). */
  probe(method: "GET" | "POST", path: string, options: { query?: string; body?: unknown } = {}): Promise<unknown> {
    return this.request({ method, path, ...options, idempotent: method === "GET" });
  }
}

export type PaymentInput = {
  customer_id: number;
  invoice_id?: number;
  payment_type: number;
  receipt_number: string;
  date: string;
  amount: string;
  comment?: string;
  field_1?: string;
  field_2?: string;
  note?: string;
  payment_statement_id?: number;
};

export type PaymentStatementInput = {
  title: string;
  payment_type?: number;
  date_time?: string;
  status?: "new" | "fail" | "success";
};

export type PaymentStatementRecordInput = {
  bank_statements_process_id: number;
  payment_date: string;
  amount: string;
  status?: string;
  pairing_1?: string;
  pairing_2?: string;
  comment?: string;
  customer_id?: number;
  invoice_id?: number;
  payment_id?: number;
  additional_1?: string;
  additional_2?: string;
};

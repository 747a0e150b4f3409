// The Zoho Books v3 client: organization_id on every call, Zoho's envelope, paging, limits shared through PostgreSQL.
import { ExchangeFailed, exchangeWithin } from "@/server/net/exchange";
import { zohoErrorFrom, ZohoError } from "./errors";
import { parseJsonKeepingBigIntegers } from "./json";
import { ZOHO_CALL_TIMEOUT_MS, type ZohoLimiter } from "./limiter";

export type ZohoRecord = Record<string, unknown>;
/** A custom field configured to refuse duplicates (its API name, cf_…) and the value that identifies one record. */
export type UniqueField = { key: string; value: string };

export type BooksClientOptions = {
  apiDomain: string;
  organizationId: string;
  /** The current access token; `force` after a 401, naming the token Zoho rejected. */
  accessToken: (options?: { force?: boolean; rejected?: string }) => Promise<string>;
  limiter: ZohoLimiter;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Attempts for a call refused by the per-minute or concurrency limit, or (reads only) a 5xx, timeout or dropped connection. */
  maxAttempts?: number;
  backoffMs?: number;
  /** How long to pause after Zoho's per-minute block (code 44), which lasts until its minute window moves on. */
  rateLimitPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Zoho refused a call as one too many in flight (1070): the organization allows fewer calls at once than its plan
   * was known to (a trial ended, the plan changed). Told once per client.
   */
  concurrencyRefused?: () => Promise<void>;
  /** The most an answer may weigh, and the most records one list may yield (memory is shared by every tenant). */
  maxBodyBytes?: number;
  maxListRecords?: number;
};

/** A page of 200 records is a few hundred kilobytes; far more is a broken or hostile server. */
const MAX_BODY_BYTES = 8 * 1_048_576;
/** Pages Zoho's limits allow in a day hold 2,000,000 records; a list past a quarter of that is not ending. */
const MAX_LIST_RECORDS = 500_000;
const PER_PAGE = 200;

type Call = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
};

export type DailyQuota = { limit: number; remaining: number; resetsAt: Date };

export class ZohoBooksClient {
  /** Calls sent to Zoho, for progress and benchmarks. */
  calls = 0;
  /** The daily quota as Zoho's last answer reported it, so a run can stop before the tenant's reserve. */
  quota: DailyQuota | null = null;
  /** Settles once an answer first reports the daily quota (this.quota). */
  readonly quotaHeard: Promise<void>;
  private heardQuota = () => {};
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  private toldConcurrency = false;

  constructor(private readonly options: BooksClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.quotaHeard = new Promise((resolve) => (this.heardQuota = resolve));
  }

  /** Calls Zoho lets run at once for the organization: how many records a page may write side by side. */
  get concurrency(): number {
    return this.options.limiter.concurrency;
  }

  private url(call: Call): string {
    // Only listing organizations happens outside one (before the organization is chosen).
    const query = new URLSearchParams(
      this.options.organizationId ? { organization_id: this.options.organizationId } : {},
    );
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) query.set(key, value);
    return `${this.options.apiDomain.replace(/\/+$/, "")}/books/v3${call.path}?${query.toString()}`;
  }

  private async send(call: Call, token: string): Promise<{ status: number; body: ZohoRecord; headers: Headers }> {
    const { organizationId, limiter } = this.options;
    const limited = <T>(work: () => Promise<T>) => (organizationId ? limiter.run(organizationId, work) : work());
    // Made before the slot is taken, so the call leaves as soon as it has one (the limiter dates it then).
    const url = this.url(call);
    const init: RequestInit = {
      method: call.method,
      headers: {
        authorization: `Zoho-oauthtoken ${token}`,
        accept: "application/json",
        ...(call.body === undefined ? {} : { "content-type": "application/json" }),
        ...call.headers,
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      redirect: "manual",
    };
    return limited(async () => {
      this.calls++;
      const { response, text } = await this.exchange(call, url, init);
      let body: ZohoRecord;
      try {
        body = (text ? parseJsonKeepingBigIntegers(text) : {}) as ZohoRecord;
      } catch {
        throw new ZohoError(
          response.ok ? "bad_response" : "server",
          `Zoho answered ${response.status} with a body that is not JSON`,
          { status: response.status, method: call.method, path: call.path },
        );
      }
      this.noteQuota(response.headers);
      if (response.ok && organizationId) await limiter.noteQuota(organizationId, response.headers);
      return { status: response.status, body, headers: response.headers };
    });
  }

  /** Sends the call and reads its answer within the timeout, which ends the wait by itself (server/net/exchange.ts). */
  private async exchange(call: Call, url: string, init: RequestInit): Promise<{ response: Response; text: string }> {
    const limit = this.options.maxBodyBytes ?? MAX_BODY_BYTES;
    const limits = { timeoutMs: this.options.timeoutMs ?? ZOHO_CALL_TIMEOUT_MS, maxBodyBytes: limit };
    return exchangeWithin(this.fetchImpl, url, init, limits).catch((error: unknown) => {
      if (!(error instanceof ExchangeFailed)) throw error;
      const where = { method: call.method, path: call.path, ...(error.status ? { status: error.status } : {}) };
      const failed = `${call.method} ${call.path}`;
      if (error.failure === "timeout") throw new ZohoError("timeout", `Zoho did not answer ${failed} in time`, where);
      if (error.failure === "unreachable")
        throw new ZohoError("network", `Could not reach Zoho (${error.message})`, where);
      if (error.failure === "too_large")
        throw new ZohoError(
          "bad_response",
          `Zoho's answer to ${failed} passed ${limit / 1_048_576} MB; Ledgerlink stopped reading it`,
          where,
        );
      throw new ZohoError("network", `The connection dropped while reading ${failed}`, where);
    });
  }

  private noteQuota(headers: Headers) {
    const [limit, remaining, reset] = ["Limit", "Remaining", "Reset"].map((name) =>
      Number(headers.get(`X-Rate-Limit-${name}`)),
    );
    if (!headers.has("X-Rate-Limit-Limit") || ![limit, remaining, reset].every(Number.isFinite)) return;
    this.quota = { limit: limit!, remaining: remaining!, resetsAt: new Date(Date.now() + reset! * 1000) };
    this.heardQuota();
  }

  /** One documented call: Zoho's non-zero codes become errors with its message verbatim. */
  async request(call: Call): Promise<ZohoRecord> {
    const idempotent = call.method === "GET";
    let token = await this.options.accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let error: ZohoError;
      try {
        const { status, body, headers } = await this.send(call, token);
        if (status < 300 && (body.code === undefined || Number(body.code) === 0)) return body;
        error = zohoErrorFrom(status, body, call);
        if (error.kind === "daily_quota" && this.options.organizationId)
          await this.options.limiter.quotaSpent(
            this.options.organizationId,
            Number(headers.get("X-Rate-Limit-Reset")) || null,
          );
      } catch (caught) {
        if (!(caught instanceof ZohoError)) throw caught;
        error = caught;
      }
      if (error.kind === "concurrency" && !this.toldConcurrency) {
        this.toldConcurrency = true;
        // What it learns is kept for later clients; failing to keep it never fails this call.
        await this.options.concurrencyRefused?.().catch((failed) => {
          console.error("Could not note that Zoho refused a call as one too many in flight:", failed);
        });
      }
      // 401 and code 57: one refresh, then the error stands (missing scope, wrong organization or data centre).
      if (error.kind === "unauthorized" && !refreshed) {
        refreshed = true;
        token = await this.options.accessToken({ force: true, rejected: token });
        continue;
      }
      // Limit refusals happen before Zoho does anything, so even a write may go again; other failures only for reads.
      const safeToRepeat =
        error.kind === "rate_limited" || error.kind === "concurrency" || (idempotent && error.retryable);
      if (!safeToRepeat || attempt >= (this.options.maxAttempts ?? 6)) throw error;
      const backoff = (this.options.backoffMs ?? 500) * 2 ** (attempt - 1) * (0.5 + Math.random());
      await this.sleep(
        error.kind === "rate_limited" ? Math.max(backoff, this.options.rateLimitPauseMs ?? 20_000) : backoff,
      );
    }
  }

  /** Every record of a list, 200 per page, following `page_context.has_more_page` up to a bound. */
  async *list(path: string, key: string, query: Record<string, string | undefined> = {}): AsyncGenerator<ZohoRecord[]> {
    const maxRecords = this.options.maxListRecords ?? MAX_LIST_RECORDS;
    let listed = 0;
    for (let page = 1; ; page++) {
      const body = await this.request({
        method: "GET",
        path,
        query: { ...query, page: String(page), per_page: String(PER_PAGE) },
      });
      const records = body[key];
      if (!Array.isArray(records)) throw new ZohoError("bad_response", `Zoho's ${path} answer has no "${key}" list`);
      if (records.length > PER_PAGE)
        throw new ZohoError("bad_response", `Zoho sent ${records.length} records of ${path} for a page of ${PER_PAGE}`);
      listed += records.length;
      if (listed > maxRecords)
        throw new ZohoError("bad_response", `Zoho kept sending ${path} past ${maxRecords} records; Ledgerlink stopped`);
      yield records as ZohoRecord[];
      if (!(body.page_context as { has_more_page?: boolean } | undefined)?.has_more_page) return;
    }
  }

  async all(path: string, key: string, query: Record<string, string | undefined> = {}): Promise<ZohoRecord[]> {
    const records: ZohoRecord[] = [];
    for await (const page of this.list(path, key, query)) records.push(...page);
    return records;
  }

  private single(body: ZohoRecord, key: string): ZohoRecord {
    const record = body[key];
    if (!record || typeof record !== "object") throw new ZohoError("bad_response", `Zoho's answer has no "${key}"`);
    return record as ZohoRecord;
  }

  // ---- Reference data ----
  organizations = async () =>
    (await this.request({ method: "GET", path: "/organizations" })).organizations as ZohoRecord[];
  currencies = () => this.all("/settings/currencies", "currencies");
  items = () => this.all("/items", "items", { filter_by: "Status.Active" });
  chartOfAccounts = () => this.all("/chartofaccounts", "chartofaccounts");
  bankAccounts = () => this.all("/bankaccounts", "bankaccounts");
  taxes = () => this.all("/settings/taxes", "taxes");
  taxGroup = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/settings/taxgroups/${id}` }), "tax_group");

  organization = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/organizations/${id}` }), "organization");
  /** A currency's exchange rates from a date on (currency.yml). */
  exchangeRates = async (currencyId: string, fromDate: string) =>
    (
      await this.request({
        method: "GET",
        path: `/settings/currencies/${currencyId}/exchangerates`,
        query: { from_date: fromDate },
      })
    ).exchange_rates as ZohoRecord[];

  // ---- Contacts ----
  /**
   * Zoho pages by offset, so a list read while records change can shift them between pages. Oldest first by default:
   * contacts created meanwhile land after the pages read, so none is doubled or skipped; a contact deleted meanwhile
   * can still hide a later one until the next read, which the sync's refresh by last change picks up.
   */
  customers = (query: Record<string, string | undefined> = {}) =>
    this.list("/contacts", "contacts", {
      contact_type: "customer",
      sort_column: "created_time",
      sort_order: "A",
      ...query,
    });
  getContact = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/contacts/${id}` }), "contact");
  createContact = async (body: ZohoRecord) =>
    this.single(await this.request({ method: "POST", path: "/contacts", body }), "contact");
  /** `contact_persons`, when sent, replaces the whole list: callers keep the persons they want. */
  updateContact = async (id: string, body: ZohoRecord) =>
    this.single(await this.request({ method: "PUT", path: `/contacts/${id}`, body }), "contact");
  /** Creates or updates by a unique custom field, so a repeated create can't duplicate. */
  upsertContact = (unique: UniqueField, body: ZohoRecord) => this.upsert("/contacts", "contact", unique, body);

  private upsert = async (path: string, key: string, unique: UniqueField, body: ZohoRecord) => {
    const headers = {
      "X-Unique-Identifier-Key": unique.key,
      "X-Unique-Identifier-Value": unique.value,
      "X-Upsert": "true",
    };
    return this.single(await this.request({ method: "PUT", path, body, headers }), key);
  };

  // ---- Invoices ----
  createInvoice = async (body: ZohoRecord) =>
    this.single(
      await this.request({ method: "POST", path: "/invoices", query: { ignore_auto_number_generation: "true" }, body }),
      "invoice",
    );
  updateInvoice = async (id: string, body: ZohoRecord) =>
    this.single(
      await this.request({
        method: "PUT",
        path: `/invoices/${id}`,
        query: { ignore_auto_number_generation: "true" },
        body,
      }),
      "invoice",
    );
  getInvoice = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/invoices/${id}` }), "invoice");
  findInvoiceByNumber = async (number: string) =>
    (
      (await this.request({ method: "GET", path: "/invoices", query: { invoice_number: number } }))
        .invoices as ZohoRecord[]
    ).find((invoice) => invoice.invoice_number === number);
  markInvoiceSent = (id: string) => this.request({ method: "POST", path: `/invoices/${id}/status/sent` });
  voidInvoice = (id: string) => this.request({ method: "POST", path: `/invoices/${id}/status/void` });

  // ---- Credit notes ----
  createCreditNote = async (body: ZohoRecord) =>
    this.single(
      await this.request({
        method: "POST",
        path: "/creditnotes",
        query: { ignore_auto_number_generation: "true" },
        body,
      }),
      "creditnote",
    );
  findCreditNoteByNumber = async (number: string) =>
    (
      (await this.request({ method: "GET", path: "/creditnotes", query: { creditnote_number: number } }))
        .creditnotes as ZohoRecord[]
    ).find((note) => note.creditnote_number === number);
  updateCreditNote = async (id: string, body: ZohoRecord) =>
    this.single(
      await this.request({
        method: "PUT",
        path: `/creditnotes/${id}`,
        query: { ignore_auto_number_generation: "true" },
        body,
      }),
      "creditnote",
    );
  getCreditNote = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/creditnotes/${id}` }), "creditnote");
  voidCreditNote = (id: string) => this.request({ method: "POST", path: `/creditnotes/${id}/status/void` });
  applyCreditNote = (id: string, invoices: { invoice_id: string; amount_applied: number }[]) =>
    this.request({ method: "POST", path: `/creditnotes/${id}/invoices`, body: { invoices } });

  // ---- Customer payments ----
  createPayment = async (body: ZohoRecord) =>
    this.single(await this.request({ method: "POST", path: "/customerpayments", body }), "payment");
  payments = (query: Record<string, string | undefined> = {}) =>
    this.list("/customerpayments", "customerpayments", query);
  getPayment = async (id: string) =>
    this.single(await this.request({ method: "GET", path: `/customerpayments/${id}` }), "payment");
  upsertPayment = (unique: UniqueField, body: ZohoRecord) => this.upsert("/customerpayments", "payment", unique, body);
  updatePayment = async (id: string, body: ZohoRecord) =>
    this.single(await this.request({ method: "PUT", path: `/customerpayments/${id}`, body }), "payment");
  deletePayment = (id: string) => this.request({ method: "DELETE", path: `/customerpayments/${id}` });
}

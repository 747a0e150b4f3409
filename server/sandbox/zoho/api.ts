// What every Books resource module of the simulator shares: the call it answers, Zoho's envelope and errors, list pages.
import type { BooksRecord, Organization } from "./store";

/** One authenticated, limited and validated Books call, as a resource module sees it. */
export type BooksCall = {
  org: Organization;
  request: Request;
  /** The id segment of the path for `/{…_id}` operations. */
  id: string;
  params: URLSearchParams;
  body: BooksRecord;
  /** The time the call is handled at, in milliseconds. */
  now: number;
};

export type BooksRoute = (call: BooksCall) => Response;
/** Handlers keyed by "METHOD template", the template as Zoho's OpenAPI files write it. */
export type BooksRoutes = Record<string, BooksRoute>;

export const envelope = (status: number, body: BooksRecord) => Response.json(body, { status });
export const zohoError = (status: number, code: number, message: string) => envelope(status, { code, message });

/**
 * Zoho's refusal of a value it cannot take: code 2 and this wording are what Books answered in production for
 * `tax_treatment` and `payment_terms` (public integration logs); other refusals reuse it where Zoho's own is unknown.
 */
export const invalidValue = (field: string) => zohoError(400, 2, `Invalid value passed for ${field}`);

const clocks = new Map<string, Intl.DateTimeFormat>();
const DIGITS = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
} as const;

function clockIn(timeZone: string): Intl.DateTimeFormat {
  const known = clocks.get(timeZone);
  if (known) return known;
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", ...DIGITS });
  clocks.set(timeZone, clock);
  return clock;
}

/**
 * A timestamp as Books writes `created_time` and `last_modified_time`: ISO 8601 with a colon-less offset
 * (`2013-10-07T18:24:51+0530`, the OpenAPI examples). The offset is the organization's time zone (inferred: the
 * examples carry India's offset, the docs' organization).
 */
export function zohoTimestamp(time: number, timeZone: string): string {
  const parts = clockIn(timeZone).formatToParts(time);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
  const local = Date.UTC(
    Number(part("year")),
    Number(part("month")) - 1,
    Number(part("day")),
    Number(part("hour")),
    Number(part("minute")),
    Number(part("second")),
  );
  const offset = Math.round((local - Math.floor(time / 1000) * 1000) / 60_000);
  const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")}${String(Math.abs(offset) % 60).padStart(2, "0")}`;
  return `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}${offset < 0 ? "-" : "+"}${hhmm}`;
}

/** The instant of a Books timestamp, or NaN when it is not one (a `+` sent unencoded arrives as a space). */
export function parseZohoTimestamp(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/.test(text) ? Date.parse(text) : Number.NaN;
}

/** Text filters the way Zoho's list endpoints take them: exact, `_startswith`, `_contains`; case does not matter. */
export function matchesTextFilters(record: BooksRecord, params: URLSearchParams, fields: string[]): boolean {
  for (const field of fields) {
    const value = String(record[field] ?? "").toLowerCase();
    const exact = params.get(field);
    if (exact !== null && value !== exact.toLowerCase()) return false;
    const startsWith = params.get(`${field}_startswith`);
    if (startsWith !== null && !value.startsWith(startsWith.toLowerCase())) return false;
    const contains = params.get(`${field}_contains`);
    if (contains !== null && !value.includes(contains.toLowerCase())) return false;
  }
  return true;
}

const TIME_COLUMNS = new Set(["created_time", "last_modified_time"]);
const NUMBER_COLUMNS = new Set(["total", "balance", "amount", "rate", "outstanding_receivable_amount"]);

function compareBy(column: string): (a: BooksRecord, b: BooksRecord) => number {
  if (TIME_COLUMNS.has(column)) return (a, b) => Date.parse(String(a[column])) - Date.parse(String(b[column]));
  if (NUMBER_COLUMNS.has(column)) return (a, b) => Number(a[column] ?? 0) - Number(b[column] ?? 0);
  return (a, b) => String(a[column] ?? "").localeCompare(String(b[column] ?? ""), "en", { sensitivity: "base" });
}

/**
 * A list in the order `sort_column` (one of the columns the operation's file allows, else its default) and `sort_order`
 * (A or D; not in the files, but clients send it and Zoho echoes it) ask for. The sort is stable, so equal values keep
 * the order records were created in.
 */
export function sortRecords(
  records: BooksRecord[],
  params: URLSearchParams,
  allowed: readonly string[],
  defaultColumn: string,
): BooksRecord[] {
  const asked = params.get("sort_column") ?? "";
  const ascending = compareBy(allowed.includes(asked) ? asked : defaultColumn);
  return [...records].sort(params.get("sort_order") === "D" ? (a, b) => ascending(b, a) : ascending);
}

/** One page of a list, with the `page_context` Books sends: `per_page` defaults to 200 and cannot exceed it. */
export function page(records: BooksRecord[], params: URLSearchParams, key: string, sortColumn: string) {
  const pageNumber = Math.max(1, Number(params.get("page") ?? 1) || 1);
  const perPage = Math.min(200, Math.max(1, Number(params.get("per_page") ?? 200) || 200));
  const start = (pageNumber - 1) * perPage;
  return {
    code: 0,
    message: "success",
    [key]: records.slice(start, start + perPage),
    page_context: {
      page: pageNumber,
      per_page: perPage,
      has_more_page: start + perPage < records.length,
      report_name: key,
      applied_filter: params.get("filter_by") ?? "Status.All",
      sort_column: params.get("sort_column") ?? sortColumn,
      sort_order: params.get("sort_order") ?? "A",
    },
  };
}

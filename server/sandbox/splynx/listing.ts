// Splynx lists: main and additional attribute filters, order, limit and offset, a server's page cap, and OPTIONS schemas.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { errorBody } from "./auth";
import { parsePhpQuery, QueryError, satisfies, type PhpValue } from "./php-query";
import type { Collection, WireRecord } from "./store";

export type ListOptions = {
  /**
   * The most rows one answer holds whatever `limit` asks, as a server configured that way would; no cap when
   * undefined. Splynx documents no default or maximum page size (reference §4): this is for clients' paging tests.
   */
  maxPageSize?: number;
};

function compareForOrder(left: unknown, right: unknown): number {
  const numeric = typeof left === "number" || (typeof left === "string" && left !== "" && !Number.isNaN(Number(left)));
  return numeric ? Number(left) - Number(right) : String(left ?? "").localeCompare(String(right ?? ""));
}

/** The rows a list request selects, in the order it asks; `paged: false` ignores limit, offset and cap (HEAD counts). */
export function list(
  collection: Collection,
  search: URLSearchParams,
  options: ListOptions & { paged: boolean },
): WireRecord[] | Response {
  const query = parsePhpQuery(search);
  const main = (query.main_attributes ?? {}) as Record<string, PhpValue>;
  const additional = (query.additional_attributes ?? {}) as Record<string, PhpValue>;
  const idAfter =
    Array.isArray(main.id) && main.id[0] === ">" && typeof main.id[1] === "string" ? Number(main.id[1]) : 0;
  const order = Object.entries((query.order ?? {}) as Record<string, string>);
  const offset = options.paged ? Number(search.get("offset") ?? 0) || 0 : 0;
  const requested = options.paged && search.has("limit") ? Number(search.get("limit")) : Infinity;
  const limit = options.paged ? Math.min(requested, options.maxPageSize ?? Infinity) : Infinity;
  // Rows are kept in id order, so an id-ordered page can stop as soon as it is full.
  const naturalOrder =
    order.length === 0 || (order.length === 1 && order[0]![0] === "id" && String(order[0]![1]).toUpperCase() === "ASC");
  const matches = (row: WireRecord) =>
    Object.entries(main).every(([field, condition]) => satisfies(row[field], condition)) &&
    Object.entries(additional).every(([field, condition]) =>
      satisfies((row.additional_attributes as Record<string, unknown> | undefined)?.[field], condition),
    );
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

function readSchemas(): Record<string, unknown> {
  const file = path.join(process.cwd(), "specs/splynx/live-probe-2025-09-options-and-samples.json");
  if (!existsSync(file)) return {};
  const probe = JSON.parse(readFileSync(file, "utf8")) as { endpoint_analysis: Record<string, { schema?: unknown }> };
  return Object.fromEntries(
    Object.entries(probe.endpoint_analysis)
      .filter(([, entry]) => entry.schema)
      .map(([key, entry]) => [key, entry.schema]),
  );
}

let schemas: Record<string, unknown> | undefined;

/** The schema a live server returned for OPTIONS, else one read off a record of the collection. */
export function optionsFor(resourcePath: string, sample: WireRecord | undefined) {
  schemas ??= readSchemas();
  if (schemas[resourcePath]) return schemas[resourcePath];
  const type = (value: unknown) =>
    typeof value === "number"
      ? Number.isInteger(value)
        ? "integer"
        : "float"
      : Array.isArray(value)
        ? "array"
        : "string";
  return {
    attributes: Object.entries(sample ?? { id: 0 }).map(([name, value]) => ({
      name,
      title: name.replace(/_/g, " ").replace(/^./, (first) => first.toUpperCase()),
      type: type(value),
      required: false,
    })),
    additional_attributes: [],
  };
}

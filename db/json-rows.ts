// Rows for an insert sent as one JSON parameter, typed by their table's own row type in PostgreSQL.
import { type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

type Insert<T extends PgTable> = T["$inferInsert"];
type Key<T extends PgTable> = keyof Insert<T> & string;

const nameOf = <T extends PgTable>(table: T, key: Key<T>) =>
  (table as unknown as Record<string, { name: string }>)[key]!.name;

// A lone surrogate (text cut through an emoji) is no JSON PostgreSQL reads: it becomes U+FFFD, as in a text parameter.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (_key: string, value: unknown) =>
  typeof value === "string" ? value.replace(LONE_SURROGATE, "\uFFFD") : value;

/**
 * The quoted column names of `keys` and a row source yielding `rows` with those columns, in order. A statement over it
 * has the same text for one row or five hundred (so it can be prepared), and building it costs one JSON.stringify:
 * drizzle's builder took more CPU for a page of rows, a parameter each, than PostgreSQL took to write them. Values are
 * as JSON writes them (a Date as its ISO instant, an object as a JSON value for a jsonb column); a key a row lacks is
 * NULL, not the column's default. `ordered` keeps the array's order in the insert (rows locked in a chosen order).
 */
export function jsonRows<T extends PgTable>(
  table: T,
  keys: readonly Key<T>[],
  rows: Partial<Record<keyof Insert<T>, unknown>>[],
) {
  const names = keys.map((key) => nameOf(table, key));
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(keys.map((key, index) => [names[index], row[key] ?? null]))),
    wellFormed,
  );
  const columns = sql.raw(names.map((name) => `"${name}"`).join(", "));
  // Sent as text, one type whichever driver and path sends it.
  const source: SQL = sql`json_populate_recordset(null::${table}, ${json}::text::json) with ordinality as given`;
  return { columns, source, ordered: sql`order by given.ordinality` };
}

/** An upsert's update list: each of these columns takes the value the insert proposed. */
export function fromExcluded<T extends PgTable>(table: T, keys: readonly Key<T>[]): SQL {
  return sql.raw(keys.map((key) => `"${nameOf(table, key)}" = excluded."${nameOf(table, key)}"`).join(", "));
}

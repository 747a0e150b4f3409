// Rows for an insert sent as one JSON parameter, typed by their table's own row type in PostgreSQL.
import { type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

type Insert<T extends PgTable> = T["$inferInsert"];

/**
 * The quoted column names of `keys` and a row source yielding `rows` with those columns, in order. A statement over it
 * has the same text for one row or five hundred (so it can be prepared), and building it costs one JSON.stringify:
 * drizzle's builder took more CPU for a page of rows, a parameter each, than PostgreSQL took to write them. Values are
 * as JSON writes them (a Date as its ISO instant, an object as a JSON value for a jsonb column).
 */
export function jsonRows<T extends PgTable>(
  table: T,
  keys: readonly (keyof Insert<T> & string)[],
  rows: Partial<Record<keyof Insert<T>, unknown>>[],
) {
  const columnOf = table as unknown as Record<string, { name: string }>;
  const names = keys.map((key) => columnOf[key]!.name);
  const json = JSON.stringify(
    rows.map((row) => Object.fromEntries(keys.map((key, index) => [names[index], row[key] ?? null]))),
  );
  const columns = sql.raw(names.map((name) => `"${name}"`).join(", "));
  // Sent as text: a prepared statement's json parameter would have the driver encode the string as JSON once more.
  const source: SQL = sql`json_populate_recordset(null::${table}, ${json}::text::json)`;
  return { names, columns, source };
}

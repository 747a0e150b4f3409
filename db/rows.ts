// The rows of a raw SQL statement, whichever driver ran it.
import { DrizzleQueryError, type SQL } from "drizzle-orm";
import type { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "./client";

/** postgres-js answers `execute` with the rows, PGlite with an object holding them. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[];
}

type PostgresJs = { unsafe: (text: string, params: unknown[], options: { prepare: boolean }) => Promise<unknown[]> };
const isPostgresJs = (client: unknown): client is PostgresJs =>
  typeof (client as PostgresJs | undefined)?.unsafe === "function";

/**
 * The rows of a statement the engine sends for every record, as a prepared statement on PostgreSQL: parsed and planned
 * once per connection, not every time (drizzle's `execute` never prepares). Only for statements of a fixed shape whose
 * plan does not depend on the data (a key, a row's version, a function call); a transaction's or PGlite's go through
 * `execute`.
 */
export async function preparedRowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const client = (db as { $client?: unknown }).$client;
  if (!isPostgresJs(client)) return rowsOf<T>(db, query);
  const { sql: text, params } = (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(query);
  try {
    return (await client.unsafe(text, params, { prepare: true })) as T[];
  } catch (error) {
    // As drizzle reports a failed statement: callers tell a database failure by it (and keep its words from users).
    throw new DrizzleQueryError(text, params, error as Error);
  }
}

// The rows of a raw SQL statement, whichever driver ran it.
import type { SQL } from "drizzle-orm";
import type { Db } from "./client";

/** postgres-js answers `execute` with the rows, PGlite with an object holding them. */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[];
}

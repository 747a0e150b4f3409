// The one database handle: PostgreSQL through `postgres` when DATABASE_URL is set, in-process PGlite otherwise.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Database = { db: Db; close: () => Promise<void> };

const migrationsFolder = () => path.join(process.cwd(), "drizzle");
// Serialises start-up migrations when several processes share one PostgreSQL.
const MIGRATION_LOCK = 7_342_101;

/**
 * libpq's `?host=/a/directory` names the directory of a Unix socket, so a database on the same machine is reached
 * without loopback TCP; postgres.js takes it as an option, not from the URL (which it would send to the server as a
 * setting). Any other address is left to postgres.js as it is, and nothing here can throw the address (a password).
 */
export function connectionOf(address: string): { url: string; host?: string } {
  const queryStart = address.indexOf("?");
  if (queryStart < 0) return { url: address };
  const query = new URLSearchParams(address.slice(queryStart + 1));
  const socketDirectory = query.get("host");
  if (!socketDirectory?.startsWith("/")) return { url: address };
  query.delete("host");
  // libpq writes a socket's address with no host name; postgres.js needs one to read the URL, then uses the socket.
  const base = address.slice(0, queryStart).replace(/^([a-z]+:\/\/(?:[^@/]*@)?)(?=\/|$)/i, "$1localhost");
  const rest = query.toString();
  return { url: rest ? `${base}?${rest}` : base, host: socketDirectory };
}

export async function openPostgres(address: string, options: { max?: number } = {}): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");

  const { url, host } = connectionOf(address);
  const migrator = postgres(url, { host, max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(migrator), { migrationsFolder: migrationsFolder() });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { host, max: options.max ?? 10, onnotice: () => {} });
  return { db: drizzle(client, { schema }) as unknown as Db, close: () => client.end() };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");

  // PGlite creates only the last directory of its path.
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: migrationsFolder() });
  return { db: db as unknown as Db, close: () => client.close() };
}

type Holder = { ledgerlinkDatabase?: Promise<Database> };
// Next.js loads instrumentation and route handlers as separate bundles of one process: share via globalThis.
const holder = globalThis as Holder;

/** The process-wide database, opened and migrated on first use. */
export async function getDb(): Promise<Db> {
  if (!holder.ledgerlinkDatabase) {
    const { env } = await import("@/server/env");
    const { databaseUrl, pgliteDir } = env();
    holder.ledgerlinkDatabase = databaseUrl ? openPostgres(databaseUrl) : openPglite(pgliteDir);
    holder.ledgerlinkDatabase.catch(() => {
      holder.ledgerlinkDatabase = undefined;
    });
  }
  return (await holder.ledgerlinkDatabase).db;
}

// A fresh, migrated database per test file: a new database on TEST_DATABASE_URL's server, else in-memory PGlite.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { openPglite, openPostgres, type Database, type Db } from "../client";

export async function openTestDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return openPglite("memory://");

  const { default: postgres } = await import("postgres");
  const name = `test_${randomUUID().replaceAll("-", "")}`;
  const admin = () => postgres(serverUrl, { max: 1, onnotice: () => {} });
  const creator = admin();
  await creator.unsafe(`create database ${name}`);
  await creator.end();

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString());
  return {
    db: database.db,
    async close() {
      await database.close();
      const dropper = admin();
      await dropper.unsafe(`drop database ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Opens a fresh database for the calling test file and closes it after; read `.db` inside tests. */
export function registerTestDatabase(): { readonly db: Db } {
  let opened: Database | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase();
  });
  afterAll(() => opened?.close());
  return {
    get db() {
      if (!opened) throw new Error("The test database is opened in beforeAll; read it inside a test");
      return opened.db;
    },
  };
}

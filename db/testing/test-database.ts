// A fresh, migrated database per test file: a copy of the migrated template (global-setup.ts) on TEST_DATABASE_URL's
// server, else in-memory PGlite.
import { afterAll, beforeAll, inject } from "vitest";
import { openPglite, openPostgres, type Database, type Db } from "../client";
import { createDatabase, dropDatabase } from "./server-databases";

/** The migrated template to copy on TEST_DATABASE_URL's server; vitest's globalSetup made it. */
export function testDatabaseTemplate(): string {
  const template = inject("testDatabaseTemplate");
  if (!template) throw new Error("No test database template: vitest.config.ts's globalSetup makes it");
  return template;
}

export async function openTestDatabase(): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return openPglite("memory://");

  const { name, url } = await createDatabase(serverUrl, "test", testDatabaseTemplate());
  const database = await openPostgres(url);
  return {
    db: database.db,
    async close() {
      await database.close();
      await dropDatabase(serverUrl, name);
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

// vitest globalSetup: on TEST_DATABASE_URL's server, migrate once into a template database that every test file's
// database is copied from (a copy is a file copy; migrating each file's database was a hundred statements each).
import type { TestProject } from "vitest/node";
import { openPostgres } from "../client";
import { createDatabase, dropDatabase } from "./server-databases";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated template database's name on TEST_DATABASE_URL's server; absent on PGlite. */
    testDatabaseTemplate?: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return;
  const template = await createDatabase(serverUrl, "test_template");
  await (await openPostgres(template.url, { max: 1 })).close();
  project.provide("testDatabaseTemplate", template.name);
  return () => dropDatabase(serverUrl, template.name);
}

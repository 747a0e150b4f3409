// Throwaway databases on a PostgreSQL server (TEST_DATABASE_URL's): created, optionally as a copy of a template, and
// dropped.
import { randomUUID } from "node:crypto";

async function onServer<T>(serverUrl: string, work: (admin: import("postgres").Sql) => Promise<T>): Promise<T> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A new database named `<prefix>_<random>`, a copy of `template` when one is named; returns its name and URL. */
export async function createDatabase(
  serverUrl: string,
  prefix: string,
  template?: string,
): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomUUID().replaceAll("-", "")}`;
  await onServer(serverUrl, (admin) =>
    admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (admin) => admin.unsafe(`drop database ${name} with (force)`));
}

// Small builders for tests: people, tenants and tRPC callers acting as a given person.
import { randomUUID } from "node:crypto";
import type { Db } from "../client";
import { createPerson } from "../queries/people";
import { createTenant } from "../queries/tenants";
import { hashPassword } from "@/server/auth/password";
import { createCaller } from "@/server/trpc/root";

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export async function makePerson(db: Db, label = "person") {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  return createPerson(db, { email, name: label, passwordHash: await passwordHash });
}

export async function makeTenant(db: Db, owner: { id: string }, label = "tenant") {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  return createTenant(db, { name: `${label} ISP`, slug, ownerId: owner.id });
}

export function callerFor(db: Db, person: { id: string; email: string; name: string } | null) {
  return createCaller({ db, person, ip: "203.0.113.7", origin: "http://localhost:3000" });
}

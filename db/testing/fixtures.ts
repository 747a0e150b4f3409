// Small builders for tests: people, tenants and tRPC callers acting as a given person.
import { randomUUID } from "node:crypto";
import type { Db } from "../client";
import type { Role } from "../schema";
import { acceptInvitation, createInvitation } from "../queries/invitations";
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

/** A new person who joined the tenant in `role` by accepting an invitation from `invitedBy`. */
export async function makeMember(db: Db, input: { tenantId: string; invitedBy: string; role: Role; label?: string }) {
  const person = await makePerson(db, input.label ?? input.role);
  const { tenantId, role, invitedBy } = input;
  const invitation = await createInvitation(db, { tenantId, email: person.email, role, invitedBy });
  await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person }));
  return person;
}

export function callerFor(db: Db, person: { id: string; email: string; name: string } | null) {
  return createCaller({ db, person, ip: "203.0.113.7", origin: "http://localhost:3000" });
}

/** A new person owning a new tenant, and a caller acting as them. */
export async function ownedTenant(db: Db, label = "admin") {
  const person = await makePerson(db, label);
  const tenant = await makeTenant(db, person);
  return { person, tenant, caller: callerFor(db, person) };
}

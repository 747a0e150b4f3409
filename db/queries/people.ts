// People (accounts that sign in); not tenant data, looked up by id or e-mail.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { people } from "../schema";
import { DomainError } from "@/server/errors";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function findPersonByEmail(db: Db, email: string) {
  const [person] = await db
    .select()
    .from(people)
    .where(sql`lower(${people.email}) = ${normaliseEmail(email)}`);
  return person;
}

export async function getPerson(db: Db, id: string) {
  const [person] = await db
    .select({ id: people.id, email: people.email, name: people.name, sessionsValidFrom: people.sessionsValidFrom })
    .from(people)
    .where(eq(people.id, id));
  return person;
}

export async function createPerson(db: Db, input: { email: string; name: string; passwordHash: string }) {
  const [person] = await db
    .insert(people)
    .values({ ...input, email: normaliseEmail(input.email) })
    .onConflictDoNothing()
    .returning({ id: people.id, email: people.email, name: people.name });
  if (!person)
    throw new DomainError("CONFLICT", "An account with this e-mail already exists. Sign in instead.", "email");
  return person;
}

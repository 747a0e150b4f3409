// People (accounts that sign in); not tenant data, looked up by id or e-mail.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
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

/** A pending e-mail confirmation: the link's hash and when it stops working. */
export type Confirmation = { tokenHash: string; expiresAt: Date };

/** Creates the account; with a confirmation it cannot sign in until its link is opened. */
export async function createPerson(
  db: Db,
  input: { email: string; name: string; passwordHash: string; confirmation?: Confirmation },
) {
  const { confirmation, ...person } = input;
  const [created] = await db
    .insert(people)
    .values({
      ...person,
      email: normaliseEmail(input.email),
      ...(confirmation && {
        emailConfirmedAt: null,
        confirmationTokenHash: confirmation.tokenHash,
        confirmationExpiresAt: confirmation.expiresAt,
      }),
    })
    .onConflictDoNothing()
    .returning({ id: people.id, email: people.email, name: people.name });
  if (!created)
    throw new DomainError("CONFLICT", "An account with this e-mail already exists. Sign in instead.", "email");
  return created;
}

/** A new link for an account still unconfirmed (the previous link stops working); false for any other account. */
export async function replaceConfirmation(db: Db, input: { personId: string } & Confirmation): Promise<boolean> {
  const updated = await db
    .update(people)
    .set({ confirmationTokenHash: input.tokenHash, confirmationExpiresAt: input.expiresAt })
    .where(and(eq(people.id, input.personId), isNull(people.emailConfirmedAt)))
    .returning({ id: people.id });
  return updated.length > 0;
}

const openConfirmation = (tokenHash: string, now: Date) =>
  and(
    eq(people.confirmationTokenHash, tokenHash),
    gt(people.confirmationExpiresAt, now),
    isNull(people.emailConfirmedAt),
  );

/** The unconfirmed account a live link belongs to; it proves nothing until its password is given too. */
export async function findPersonByConfirmation(db: Db, input: { tokenHash: string; now: Date }) {
  const [person] = await db
    .select({ id: people.id, email: people.email })
    .from(people)
    .where(openConfirmation(input.tokenHash, input.now));
  return person;
}

/** Confirms this person's account by its link, in one conditional update, so a link works once. */
export async function confirmEmailByToken(db: Db, input: { personId: string; tokenHash: string; now: Date }) {
  const confirmed = await db
    .update(people)
    .set({ emailConfirmedAt: input.now, confirmationTokenHash: null, confirmationExpiresAt: null })
    .where(and(eq(people.id, input.personId), openConfirmation(input.tokenHash, input.now)))
    .returning({ id: people.id });
  return confirmed.length > 0;
}

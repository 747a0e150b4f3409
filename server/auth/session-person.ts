// The person a session stands for, read afresh: a deleted account, or a session older than the last password reset,
// counts as signed out whatever the token says.
import type { Db } from "@/db/client";
import { getPerson } from "@/db/queries/people";

export type SessionClaims = { user?: { id?: string } | null; signedInAt?: number } | null;

export async function sessionPerson(db: Db, session: SessionClaims) {
  const personId = session?.user?.id;
  if (!personId) return null;
  const person = await getPerson(db, personId);
  if (!person) return null;
  if (person.sessionsValidFrom && (session?.signedInAt ?? 0) < person.sessionsValidFrom.getTime()) return null;
  const { sessionsValidFrom: _, ...shown } = person;
  return shown;
}

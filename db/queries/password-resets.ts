// Password reset tokens: only a hash is stored; each is used once, before it expires, and using one ends the others.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { passwordResetTokens, people } from "../schema";

export const RESET_TTL_MS = 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** A new token for the person; it exists only in this return value and the mail that carries it. */
export async function createResetToken(db: Db, input: { personId: string; now?: Date }) {
  const token = randomBytes(32).toString("base64url");
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  await db
    .insert(passwordResetTokens)
    .values({ personId: input.personId, tokenHash: hashToken(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** Whether the token is unused and unexpired, for the reset page to say so before a new password is typed. */
export async function resetTokenUsable(db: Db, input: { token: string; now?: Date }) {
  const rows = await db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(usable(input.token, input.now ?? new Date()));
  return rows.length > 0;
}

const usable = (token: string, now: Date) =>
  and(
    eq(passwordResetTokens.tokenHash, hashToken(token)),
    isNull(passwordResetTokens.usedAt),
    gt(passwordResetTokens.expiresAt, now),
  );

/**
 * Uses the token: one conditional update claims it, so it works once however many requests race; the person's other
 * open tokens are used up with it. Call inside the transaction that changes the password. Null when not usable.
 */
export async function consumeResetToken(tx: Db, input: { token: string; now?: Date }): Promise<string | null> {
  const now = input.now ?? new Date();
  const [claimed] = await tx
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(usable(input.token, now))
    .returning({ personId: passwordResetTokens.personId });
  if (!claimed) return null;
  await tx
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.personId, claimed.personId), isNull(passwordResetTokens.usedAt)));
  return claimed.personId;
}

/** The new password's hash, written in the transaction that used the token. */
export async function setPasswordHash(tx: Db, input: { personId: string; passwordHash: string }) {
  // Every session signed in with the old password ends: whoever knew it is signed out everywhere.
  // The link came by mail, so the address is proven: an account someone else created with it now belongs to its owner.
  await tx
    .update(people)
    .set({
      passwordHash: input.passwordHash,
      sessionsValidFrom: new Date(),
      emailConfirmedAt: sql`coalesce(${people.emailConfirmedAt}, now())`,
      confirmationTokenHash: null,
      confirmationExpiresAt: null,
    })
    .where(eq(people.id, input.personId));
}

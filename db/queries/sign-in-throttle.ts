// Attempts counted per key ("pair:…", "ip:…", "email:…", "signup:…", "tenant:…") before any check, atomically.
import { and, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { signInThrottle } from "../schema";

export type ThrottlePolicy = { maxAttempts: number; windowMs: number; lockMs: number };

const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Counts one attempt against a key in one statement, so parallel attempts each take their own count; the attempt past
 * the limit inside the window locks the key. Answers the lock's end when the key is locked, this attempt included.
 */
export async function takeAttempt(db: Db, key: string, policy: ThrottlePolicy, now = new Date()) {
  const windowStart = at(new Date(now.getTime() - policy.windowMs));
  const lockEnd = at(new Date(now.getTime() + policy.lockMs));
  const locked = sql`${signInThrottle.lockedUntil} > ${at(now)}`;
  const expired = sql`${signInThrottle.windowStartedAt} < ${windowStart}`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${locked} then ${signInThrottle.failures} when ${expired} then 1
          else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when not coalesce(${locked}, false) and ${expired} then ${at(now)}
          else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${locked} then ${signInThrottle.lockedUntil}
          when not ${expired} and ${signInThrottle.failures} + 1 > ${policy.maxAttempts} then ${lockEnd}
          else null end`,
      },
    })
    .returning({ lockedUntil: signInThrottle.lockedUntil });
  const end = row?.lockedUntil;
  return end && end > now ? end : undefined;
}

/** Counts one attempt against each key; the latest lock end among them, if any is locked. */
export async function takeAttempts(db: Db, keys: [string, ThrottlePolicy][], now = new Date()) {
  let latest: Date | undefined;
  for (const [key, policy] of keys) {
    const end = await takeAttempt(db, key, policy, now);
    if (end && (!latest || end > latest)) latest = end;
  }
  return latest;
}

/** Gives back the attempt a success took, on keys that are not locked: only failures add up. */
export async function refundAttempts(db: Db, keys: string[], now = new Date()) {
  if (keys.length === 0) return;
  await db
    .update(signInThrottle)
    .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
    .where(
      and(
        inArray(signInThrottle.key, keys),
        or(isNull(signInThrottle.lockedUntil), lte(signInThrottle.lockedUntil, now)),
      ),
    );
}

/** A success on an e-mail-and-address key: its count starts again and the address is known for that e-mail. */
export async function recordSuccess(db: Db, key: string, now = new Date()) {
  await db
    .insert(signInThrottle)
    .values({ key, failures: 0, windowStartedAt: now, succeededAt: now })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: { failures: 0, windowStartedAt: at(now), lockedUntil: null, succeededAt: at(now) },
    });
}

/** Whether the key's last success is more recent than `since`. */
export async function succeededSince(db: Db, key: string, since: Date): Promise<boolean> {
  const rows = await db
    .select({ key: signInThrottle.key })
    .from(signInThrottle)
    .where(and(eq(signInThrottle.key, key), gt(signInThrottle.succeededAt, since)));
  return rows.length > 0;
}

// Failed sign-in counting per key ("email:…" or "ip:…"), with a lock-out once a key fails too often.
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../client";
import { signInThrottle } from "../schema";

export type ThrottlePolicy = { maxFailures: number; windowMs: number; lockMs: number };

/** The latest lock end among these keys, if any is still locked. */
export async function lockedUntil(db: Db, keys: string[], now = new Date()): Promise<Date | undefined> {
  const rows = await db
    .select({ lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(inArray(signInThrottle.key, keys));
  const ends = rows.map((row) => row.lockedUntil).filter((end): end is Date => end !== null && end > now);
  return ends.sort((a, b) => b.getTime() - a.getTime())[0];
}

/** Counts one failure atomically; a key reaching its limit inside the window is locked. */
export async function recordFailure(db: Db, key: string, policy: ThrottlePolicy, now = new Date()) {
  const windowStart = sql`${new Date(now.getTime() - policy.windowMs).toISOString()}::timestamptz`;
  const lockEnd = new Date(now.getTime() + policy.lockMs);
  const lockEndParam = sql`${lockEnd.toISOString()}::timestamptz`;
  await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: policy.maxFailures <= 1 ? lockEnd : null })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${signInThrottle.windowStartedAt} < ${windowStart} then ${now.toISOString()}::timestamptz else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${signInThrottle.windowStartedAt} >= ${windowStart} and ${signInThrottle.failures} + 1 >= ${policy.maxFailures} then ${lockEndParam} else ${signInThrottle.lockedUntil} end`,
      },
    });
}

export async function clearFailures(db: Db, keys: string[]) {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, keys));
}

// Zoho's per-organization limits as shared state: every worker takes a call slot here before calling Zoho.
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { zohoCallLeases, zohoRateLimits } from "../schema";

export type LimitPolicy = {
  perWindow: number;
  windowMs: number;
  concurrency: number;
  /** How long a slot is held at most, should its worker die mid-call. */
  leaseMs: number;
  /** Headroom on the window for the time between taking a slot and Zoho receiving the call. */
  marginMs: number;
};

export type SlotDecision =
  | { kind: "granted"; leaseId: string }
  | { kind: "wait"; waitMs: number }
  | { kind: "quota"; resetsAt: Date | null };

const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

export async function takeCallSlot(
  db: Db,
  input: { organizationId: string; policy: LimitPolicy; now: () => number },
): Promise<SlotDecision> {
  const { organizationId, policy } = input;
  return db.transaction(async (tx) => {
    await tx.insert(zohoRateLimits).values({ organizationId }).onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(zohoRateLimits)
      .where(eq(zohoRateLimits.organizationId, organizationId))
      .for("update");
    // The clock is read holding the lock: a time read before the wait would date the call too early by that wait.
    const now = input.now();
    if (
      row!.dailyRemaining !== null &&
      row!.dailyRemaining <= 0 &&
      row!.dailyResetsAt &&
      row!.dailyResetsAt.getTime() > now
    )
      return { kind: "quota", resetsAt: row!.dailyResetsAt };
    const recent = row!.recentCalls.filter((time) => time > now - policy.windowMs - policy.marginMs);
    if (recent.length >= policy.perWindow)
      return { kind: "wait", waitMs: Math.min(...recent) + policy.windowMs + policy.marginMs - now + 1 };
    await tx
      .delete(zohoCallLeases)
      .where(and(eq(zohoCallLeases.organizationId, organizationId), lt(zohoCallLeases.expiresAt, now)));
    const [{ inFlight }] = (await tx
      .select({ inFlight: sql<number>`count(*)::int` })
      .from(zohoCallLeases)
      .where(eq(zohoCallLeases.organizationId, organizationId))) as [{ inFlight: number }];
    if (inFlight >= policy.concurrency) return { kind: "wait", waitMs: 10 };
    const [lease] = await tx
      .insert(zohoCallLeases)
      .values({ organizationId, expiresAt: now + policy.leaseMs })
      .returning({ id: zohoCallLeases.id });
    const day = utcDay(now);
    await tx
      .update(zohoRateLimits)
      .set({
        recentCalls: [...recent, now],
        callsDay: day,
        callsToday: row!.callsDay === day ? row!.callsToday + 1 : 1,
        dailyRemaining: row!.dailyRemaining === null ? null : row!.dailyRemaining - 1,
      })
      .where(eq(zohoRateLimits.organizationId, organizationId));
    return { kind: "granted", leaseId: lease!.id };
  });
}

export async function releaseCallSlot(db: Db, leaseId: string): Promise<void> {
  await db.delete(zohoCallLeases).where(eq(zohoCallLeases.id, leaseId));
}

/** Keeps the daily quota Zoho reports in its `X-Rate-Limit-*` headers. */
export async function recordDailyQuota(
  db: Db,
  input: { organizationId: string; limit: number; remaining: number; resetsAt: Date },
) {
  await db
    .update(zohoRateLimits)
    .set({ dailyLimit: input.limit, dailyRemaining: input.remaining, dailyResetsAt: input.resetsAt })
    .where(eq(zohoRateLimits.organizationId, input.organizationId));
}

/** After Zoho's code 45: no more calls for this organization until the quota resets. */
export async function markQuotaSpent(db: Db, input: { organizationId: string; resetsAt: Date }) {
  await db
    .update(zohoRateLimits)
    .set({ dailyRemaining: 0, dailyResetsAt: input.resetsAt })
    .where(eq(zohoRateLimits.organizationId, input.organizationId));
}

export async function zohoUsage(db: Db, organizationId: string, now = Date.now()) {
  const [row] = await db.select().from(zohoRateLimits).where(eq(zohoRateLimits.organizationId, organizationId));
  return {
    callsToday: row?.callsDay === utcDay(now) ? row.callsToday : 0,
    dailyLimit: row?.dailyLimit ?? null,
    dailyRemaining: row?.dailyRemaining ?? null,
    resetsAt: row?.dailyResetsAt ?? null,
  };
}

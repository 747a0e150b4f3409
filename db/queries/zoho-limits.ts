// Zoho's per-organization limits as shared state: every worker takes a call slot here before calling Zoho.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "../rows";
import { zohoCallLeases, zohoDailyUsage, zohoRateLimits } from "../schema";

const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

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
  | { kind: "quota"; resetsAt: Date };

type SlotRow = {
  decision: string;
  lease: string | null;
  wait_ms: string | number | null;
  quota_resets_at: Date | string | null;
};

/**
 * Takes one call slot in one statement (the function zoho_take_call_slot). `now` is a test's clock; without it the
 * database dates the call by its own clock once it holds the organization's lock.
 */
export async function takeCallSlot(
  db: Db,
  input: { organizationId: string; policy: LimitPolicy; now: number | null },
): Promise<SlotDecision> {
  const { organizationId, policy, now } = input;
  const [row] = await rowsOf<SlotRow>(
    db,
    sql`select * from zoho_take_call_slot(${organizationId}, ${now}::bigint, ${policy.perWindow}::int,
      ${policy.windowMs}::bigint, ${policy.marginMs}::bigint, ${policy.concurrency}::int, ${policy.leaseMs}::bigint)`,
  );
  if (row!.decision === "quota") return { kind: "quota", resetsAt: new Date(row!.quota_resets_at!) };
  if (row!.decision === "wait") return { kind: "wait", waitMs: Number(row!.wait_ms) };
  return { kind: "granted", leaseId: row!.lease! };
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
  const [today] = await db
    .select({ calls: zohoDailyUsage.calls })
    .from(zohoDailyUsage)
    .where(and(eq(zohoDailyUsage.organizationId, organizationId), eq(zohoDailyUsage.day, utcDay(now))));
  return {
    callsToday: today?.calls ?? 0,
    dailyLimit: row?.dailyLimit ?? null,
    dailyRemaining: row?.dailyRemaining ?? null,
    resetsAt: row?.dailyResetsAt ?? null,
  };
}

// Zoho's per-organization limits as shared state: every worker takes a call slot here before calling Zoho.
import { and, eq, inArray, sql } from "drizzle-orm";
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

/** What one round trip to the limiter's function decided: slots granted, when to ask for the rest, or the day's end. */
export type Slots = { leases: string[]; waitMs: number | null; quotaResetsAt: Date | null };

type SlotsRow = { leases: string[] | string; wait_ms: string | number | null; quota_resets_at: Date | string | null };

// A uuid[] literal: uuids need no quoting, and a literal passes through every driver alike (drizzle spreads arrays).
const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;
const uuidsOf = (value: string[] | string): string[] =>
  Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean);

/**
 * Takes up to `wanted` call slots and releases the `released` leases in one statement (the function
 * zoho_take_call_slots). `now` is a test's clock; without it the database dates the calls by its own clock once it
 * holds the organization's lock.
 */
export async function takeCallSlots(
  db: Db,
  input: { organizationId: string; wanted: number; released: string[]; policy: LimitPolicy; now: number | null },
): Promise<Slots> {
  const { organizationId, wanted, released, policy, now } = input;
  const [row] = await rowsOf<SlotsRow>(
    db,
    sql`select * from zoho_take_call_slots(${organizationId}, ${now}::bigint, ${wanted}::int,
      ${uuidArray(released)}::uuid[], ${policy.perWindow}::int, ${policy.windowMs}::bigint, ${policy.marginMs}::bigint,
      ${policy.concurrency}::int, ${policy.leaseMs}::bigint)`,
  );
  return {
    leases: uuidsOf(row!.leases),
    waitMs: row!.wait_ms === null ? null : Number(row!.wait_ms),
    quotaResetsAt: row!.quota_resets_at === null ? null : new Date(row!.quota_resets_at),
  };
}

/** Hands back finished calls' slots that no take carried, locked in the order takes lock them (by id). */
export async function releaseCallSlots(db: Db, leaseIds: string[]): Promise<void> {
  const locked = db
    .select({ id: zohoCallLeases.id })
    .from(zohoCallLeases)
    .where(inArray(zohoCallLeases.id, leaseIds))
    .orderBy(zohoCallLeases.id)
    .for("update");
  await db.delete(zohoCallLeases).where(inArray(zohoCallLeases.id, locked));
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

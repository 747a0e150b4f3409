// Zoho's per-organization limits as shared state: every worker takes a call slot here before calling Zoho.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { preparedRowsOf } from "../rows";
import { zohoDailyUsage, zohoRateLimits } from "../schema";

const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

export type LimitPolicy = {
  perWindow: number;
  windowMs: number;
  concurrency: number;
  /** How long a slot is held at most, should its worker die mid-call. */
  leaseMs: number;
  /**
   * Headroom on the window for how Zoho counts its minute (its clock, where its window starts), which Ledgerlink cannot
   * see. A pause between a grant and the call's send needs none: a call counts until it is answered (0026, 0028).
   */
  marginMs: number;
};

/**
 * What one round trip to the limiter's function decided: slots granted, each with the instant its call may be sent
 * from; when to ask for the rest, and whether the window frees a slot then (else the wait is a moment); or the day's
 * end; and the database's clock as it decided. Instants are the database's clock in milliseconds, to the microsecond:
 * from them a worker learns its clock's offset.
 */
export type Slots = {
  leases: { id: string; notBefore: number }[];
  waitMs: number | null;
  windowFrees: boolean;
  databaseNow: number;
  quotaResetsAt: Date | null;
};

/** A finished call's slot, and when its call was answered in the database's clock (milliseconds, never too early). */
export type FinishedCall = { leaseId: string; answeredAt: number };

type SlotsRow = {
  leases: string[] | string;
  not_before_us: (string | number)[] | string;
  wait_us: string | number | null;
  window_frees: boolean;
  now_us: string | number;
  quota_resets_at: Date | string | null;
};

// Array literals: uuids and integers need no quoting, and a literal passes through every driver alike (drizzle spreads
// arrays).
const arrayLiteral = (values: (string | number)[]) => `{${values.join(",")}}`;
const elementsOf = (value: (string | number)[] | string): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : value
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean);

/** The finished calls as the functions take them: lease ids and, in the same order, answers in microseconds. */
const finishedArrays = (finished: FinishedCall[]) => sql`${arrayLiteral(finished.map((call) => call.leaseId))}::uuid[],
  ${arrayLiteral(finished.map((call) => Math.ceil(call.answeredAt * 1000)))}::bigint[]`;

/**
 * Takes up to `wanted` call slots and hands the `released` ones back in one statement (the function
 * zoho_take_slots_ahead). `now` is a test's clock; without it the database dates the calls by its own clock once it
 * holds the organization's lock. Slots the window frees within `aheadMs` are granted ahead, to be used from then.
 */
export async function takeCallSlots(
  db: Db,
  input: {
    organizationId: string;
    wanted: number;
    released: FinishedCall[];
    policy: LimitPolicy;
    now: number | null;
    aheadMs?: number;
  },
): Promise<Slots> {
  const { organizationId, wanted, released, policy, now, aheadMs = 0 } = input;
  const [row] = await preparedRowsOf<SlotsRow>(
    db,
    sql`select * from zoho_take_slots_ahead(${organizationId}, ${now}::bigint, ${wanted}::int,
      ${finishedArrays(released)}, ${policy.perWindow}::int, ${policy.windowMs}::bigint, ${policy.marginMs}::bigint,
      ${policy.concurrency}::int, ${policy.leaseMs}::bigint, ${Math.round(aheadMs * 1000)}::bigint)`,
  );
  const [ids, notBefore] = [elementsOf(row!.leases), elementsOf(row!.not_before_us)];
  if (ids.length !== notBefore.length) throw new Error("zoho_take_slots_ahead answered leases without their instants");
  return {
    leases: ids.map((id, index) => ({ id, notBefore: Number(notBefore[index]) / 1000 })),
    waitMs: row!.wait_us === null ? null : Number(row!.wait_us) / 1000,
    windowFrees: row!.window_frees,
    databaseNow: Number(row!.now_us) / 1000,
    quotaResetsAt: row!.quota_resets_at === null ? null : new Date(row!.quota_resets_at),
  };
}

/**
 * Hands back finished calls' slots that no take carried, their answers counted in the window
 * (zoho_release_answered_slots).
 */
export async function releaseCallSlots(
  db: Db,
  input: { organizationId: string; released: FinishedCall[]; policy: LimitPolicy; now: number | null },
): Promise<void> {
  const { organizationId, released, policy, now } = input;
  await preparedRowsOf(
    db,
    sql`select zoho_release_answered_slots(${organizationId}, ${now}::bigint, ${finishedArrays(released)},
      ${policy.windowMs}::bigint, ${policy.marginMs}::bigint)`,
  );
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

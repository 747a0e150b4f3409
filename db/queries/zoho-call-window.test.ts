// The window's SQL functions at their edges: a call handed back after its lease ran out, the take of the previous
// release (still called by its processes during a rolling deploy) beside this release's calls in flight, and a take
// waiting in the database for a window about to free.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { zohoRateLimits } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { releaseCallSlots, takeCallSlots, type FinishedCall } from "./zoho-limits";

const database = registerTestDatabase();
const POLICY = { perWindow: 3, windowMs: 1_000, concurrency: 5, leaseMs: 5_000, marginMs: 0 };
const T0 = Date.UTC(2026, 10, 1, 12);

const organization = () => `org-${randomUUID()}`;
const take = (organizationId: string, now: number, wanted: number, released: FinishedCall[] = []) =>
  takeCallSlots(database.db, { organizationId, wanted, released, policy: POLICY, now });
const recentCalls = async (organizationId: string) =>
  (
    await database.db
      .select({ calls: zohoRateLimits.recentCalls })
      .from(zohoRateLimits)
      .where(eq(zohoRateLimits.organizationId, organizationId))
  )[0]!.calls.map((at) => at - T0);

/** The take of 0024, as a process of the previous release calls it (its calls dated when granted). */
async function previousReleaseTake(organizationId: string, now: number, wanted: number) {
  const [row] = await rowsOf<{ leases: string[] | string }>(
    database.db,
    sql`select * from zoho_take_call_slots(${organizationId}, ${now}::bigint, ${wanted}::int, '{}'::uuid[],
      ${POLICY.perWindow}::int, ${POLICY.windowMs}::bigint, ${POLICY.marginMs}::bigint, ${POLICY.concurrency}::int,
      ${POLICY.leaseMs}::bigint)`,
  );
  const leases = row!.leases;
  return Array.isArray(leases) ? leases : leases.replace(/[{}]/g, "").split(",").filter(Boolean);
}

describe("Zoho's window in the database", () => {
  it("counts a call handed back after its lease ran out from the hand-back, not only from the lease's end", async () => {
    const organizationId = organization();
    const [stalled] = (await take(organizationId, T0, 1)).leases;
    // Its worker stalled: a take after the lease's end dates the call by that end.
    await take(organizationId, T0 + 5_001, 1);
    expect(await recentCalls(organizationId)).toEqual([5_000]);
    // The call went out late after all and was answered at T0 + 5,600.
    await releaseCallSlots(database.db, {
      organizationId,
      released: [{ leaseId: stalled!, answeredAt: T0 + 5_600 }],
      policy: POLICY,
      now: T0 + 5_600,
    });
    expect(await recentCalls(organizationId)).toEqual([5_000, 5_600]);
  });

  it("lets the previous release's take count this release's calls in flight, and date their leases that ran out", async () => {
    const organizationId = organization();
    // This release: two calls answered, one in flight; the window of three is full.
    const answered = (await take(organizationId, T0, 2)).leases.map((leaseId) => ({ leaseId, answeredAt: T0 }));
    await take(organizationId, T0 + 10, 1, answered);
    expect(await previousReleaseTake(organizationId, T0 + 20, 3)).toEqual([]);
    // The call in flight never came back: once its lease has run out it keeps one place, dated by the lease's end.
    expect(await previousReleaseTake(organizationId, T0 + 5_011, 3)).toHaveLength(2);
    expect(await recentCalls(organizationId)).toEqual([5_010, 5_011, 5_011]);
  });

  it("lingers for a window freeing within the linger, on the database's clock, and grants then", async () => {
    const organizationId = organization();
    const policy = { ...POLICY, perWindow: 1, windowMs: 40 };
    const realTake = (released: FinishedCall[], lingerMs: number) =>
      takeCallSlots(database.db, { organizationId, wanted: 1, released, policy, now: null, lingerMs });
    const [first] = (await realTake([], 0)).leases;
    const answeredAt = Date.now();
    // The window frees 40 ms after the answer: too far for a linger of 5 ms, which answers with the wait.
    const told = await realTake([{ leaseId: first!, answeredAt }], 5);
    expect(told.leases).toEqual([]);
    expect(told.waitMs).toBeGreaterThan(5);
    // The database's clock and Date.now are this machine's one clock: the take waited until the window freed.
    const lingered = await realTake([], 60);
    expect(lingered.leases).toHaveLength(1);
    expect(lingered.databaseNow).toBeGreaterThanOrEqual(answeredAt + policy.windowMs);
    // A test's clock cannot be waited on: it is answered with the wait.
    const onTestClock = organization();
    const testTake = (now: number, released: FinishedCall[]) =>
      takeCallSlots(database.db, { organizationId: onTestClock, wanted: 1, released, policy, now, lingerMs: 60 });
    const [granted] = (await testTake(T0, [])).leases;
    expect(await testTake(T0 + 20, [{ leaseId: granted!, answeredAt: T0 + 10 }])).toMatchObject({
      leases: [],
      waitMs: 30,
    });
  });
});

// The window's SQL functions at their edges: a call handed back after its lease ran out, the take of the previous
// release (still called by its processes during a rolling deploy) beside this release's calls in flight, and slots
// granted ahead of the window freeing.
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
    const [stalled] = (await take(organizationId, T0, 1)).leases.map((lease) => lease.id);
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
    const answered = (await take(organizationId, T0, 2)).leases.map(({ id }) => ({ leaseId: id, answeredAt: T0 }));
    await take(organizationId, T0 + 10, 1, answered);
    expect(await previousReleaseTake(organizationId, T0 + 20, 3)).toEqual([]);
    // The call in flight never came back: once its lease has run out it keeps one place, dated by the lease's end.
    expect(await previousReleaseTake(organizationId, T0 + 5_011, 3)).toHaveLength(2);
    expect(await recentCalls(organizationId)).toEqual([5_010, 5_011, 5_011]);
  });

  it("grants ahead the slots the window frees soon, each from its instant, and never one answer's slot twice", async () => {
    const organizationId = organization();
    const ahead = (now: number, wanted: number, released: FinishedCall[] = []) =>
      takeCallSlots(database.db, { organizationId, wanted, released, policy: POLICY, now, aheadMs: 20 });
    const first = await ahead(T0, 3);
    expect(first.leases.map((lease) => lease.notBefore - T0)).toEqual([0, 0, 0]);
    // Answered at T0 + 10, 20 and 30: they leave the window of 1,000 ms at T0 + 1,010, 1,020 and 1,030.
    const answers = first.leases.map(({ id }, index) => ({ leaseId: id, answeredAt: T0 + 10 * (index + 1) }));
    await releaseCallSlots(database.db, { organizationId, released: answers, policy: POLICY, now: T0 + 40 });
    // At T0 + 1,005, the first two free within 20 ms: granted now, to be used from then; the third is waited for.
    const second = await ahead(T0 + 1_005, 3);
    expect(second.leases.map((lease) => lease.notBefore - T0)).toEqual([1_010, 1_020]);
    expect(second).toMatchObject({ waitMs: 25, windowFrees: true });
    // At T0 + 1,012 the answer of T0 + 20 is still in the window, but its slot is granted already: the next is T0 + 30's.
    const third = await ahead(T0 + 1_012, 2);
    expect(third.leases.map((lease) => lease.notBefore - T0)).toEqual([1_030]);
    // The window holds no answer past it: calls in flight fill the window, so the wait is a moment.
    expect(third).toMatchObject({ waitMs: 10, windowFrees: false });
    // Without looking ahead, a take grants only what is free now and is told the wait.
    const other = organization();
    const [lease] = (await take(other, T0, 3)).leases;
    await take(other, T0 + 10, 0, [{ leaseId: lease!.id, answeredAt: T0 + 5 }]);
    expect(await take(other, T0 + 1_000, 1)).toMatchObject({ leases: [], waitMs: 5 });
  });
});

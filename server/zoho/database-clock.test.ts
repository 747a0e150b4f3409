// The database clock's offset a worker learns from its takes, and the answers it dates with it on the real clock.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { zohoRateLimits } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { DatabaseClockOffset } from "./database-clock";
import { ZohoLimiter } from "./limiter";

const database = registerTestDatabase();

describe("DatabaseClockOffset", () => {
  it("keeps the tightest bounds takes saw, never looser than a lease's own", () => {
    const offset = new DatabaseClockOffset(1_000);
    // Asked at 100, read the database's clock as 5,108, answered at 110: the offset is between 4,998 and 5,008.
    expect(offset.observe(100, 5_108, 110)).toEqual({ upper: 5_008, lower: 4_998 });
    offset.observe(200, 5_203, 212);
    offset.observe(300, 5_306, 302);
    expect(offset.bounds({ upper: 5_006, lower: 5_004 }, 320)).toEqual({ upper: 5_003, lower: 5_004 });
    expect(offset.bounds({ upper: 5_009, lower: 4_990 }, 320)).toEqual({ upper: 5_003, lower: 5_004 });
  });

  it("forgets what it learned more than two periods ago", () => {
    const offset = new DatabaseClockOffset(1_000);
    offset.observe(0, 5_001, 2);
    // A period later the first period's bounds still hold; past two, only a lease's own do.
    offset.observe(1_500, 6_510, 1_510);
    const own = { upper: 5_020, lower: 4_980 };
    expect(offset.bounds(own, 1_600)).toEqual({ upper: 5_001, lower: 5_000 });
    expect(offset.bounds(own, 2_600)).toEqual({ upper: 5_010, lower: 5_000 });
    expect(offset.bounds(own, 3_600)).toEqual(own);
    // A take after a long quiet spell starts afresh: the stale bounds are not carried into its period.
    offset.observe(10_000, 15_030, 10_040);
    expect(offset.bounds(own, 10_100)).toEqual({ upper: 5_020, lower: 4_990 });
  });
});

describe("ZohoLimiter dating answers on the real clock", () => {
  it("dates an answer by the quickest take's bound, not by a slow take's way to the database", async () => {
    const organizationId = `org-${randomUUID()}`;
    let delayMs = 0;
    // A database whose takes reach it `delayMs` after they are asked (a busy pool, a slow network).
    const slowToReach = new Proxy(database.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== "execute") return typeof value === "function" ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
    const policy = { perWindow: 100, windowMs: 60_000, concurrency: 5, leaseMs: 60_000, marginMs: 0 };
    const limiter = new ZohoLimiter(slowToReach, policy);
    await limiter.run(organizationId, async () => undefined);
    delayMs = 80;
    const answeredAt = await limiter.run(organizationId, async () => Date.now());
    await limiter.settle();
    const [limits] = await database.db
      .select({ recentCalls: zohoRateLimits.recentCalls })
      .from(zohoRateLimits)
      .where(eq(zohoRateLimits.organizationId, organizationId));
    // The database's clock and Date.now are this machine's one clock. Dated from its grant plus the time held since it
    // was asked, the second call would count 80 ms after its answer; by the first take's bound, a few at most.
    const dated = limits!.recentCalls[1]!;
    expect(dated).toBeGreaterThanOrEqual(answeredAt);
    expect(dated - answeredAt).toBeLessThan(40);
  });

  it("holds a call granted ahead until its slot frees, by the database's clock", async () => {
    const organizationId = `org-${randomUUID()}`;
    const policy = { perWindow: 1, windowMs: 30, concurrency: 5, leaseMs: 60_000, marginMs: 0 };
    const limiter = new ZohoLimiter(database.db, policy);
    const calledAt: number[] = [];
    for (let call = 0; call < 6; call++) await limiter.run(organizationId, async () => void calledAt.push(Date.now()));
    await limiter.settle();
    // Each call's slot frees 30 ms after the one before was answered; granted ahead, none goes before.
    for (let call = 1; call < 6; call++) expect(calledAt[call]! - calledAt[call - 1]!).toBeGreaterThanOrEqual(30);
  });
});

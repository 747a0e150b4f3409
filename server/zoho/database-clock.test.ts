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
  it("keeps the smallest difference a take saw, never looser than a lease's own", () => {
    const offset = new DatabaseClockOffset(1_000);
    expect(offset.observe(100, 5_108, 110)).toBe(5_008);
    expect(offset.observe(200, 5_203, 210)).toBe(5_003);
    expect(offset.observe(300, 5_306, 310)).toBe(5_006);
    expect(offset.bound(5_006, 320)).toBe(5_003);
    expect(offset.bound(5_001, 320)).toBe(5_001);
  });

  it("forgets what it learned more than two periods ago", () => {
    const offset = new DatabaseClockOffset(1_000);
    offset.observe(0, 5_001, 0);
    // A period later the first period's bound still holds; past two, only a lease's own does.
    offset.observe(1_500, 6_510, 1_500);
    expect(offset.bound(5_020, 1_600)).toBe(5_001);
    expect(offset.bound(5_020, 2_600)).toBe(5_010);
    expect(offset.bound(5_020, 3_600)).toBe(5_020);
    // A take after a long quiet spell starts afresh: the stale bound is not carried into its period.
    offset.observe(10_000, 15_030, 10_000);
    expect(offset.bound(5_040, 10_100)).toBe(5_030);
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
});

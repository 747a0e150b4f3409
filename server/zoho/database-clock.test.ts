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
  // The database's clock runs 5,000 ms ahead of this process's in these readings.
  it("keeps the tightest bounds takes saw, never looser than a lease's own", () => {
    const offset = new DatabaseClockOffset(1_000);
    // Asked at 100, read by the database at 103 (5,103), answered at 110: the offset is between 4,993 and 5,003.
    expect(offset.observe(100, 5_103, 110)).toEqual({ upper: 5_003, lower: 4_993 });
    offset.observe(200, 5_201, 204);
    offset.observe(300, 5_305, 306);
    expect(offset.bounds({ upper: 5_005, lower: 4_999 }, 320)).toEqual({ upper: 5_001, lower: 4_999 });
    expect(offset.bounds({ upper: 5_009, lower: 4_990 }, 320)).toEqual({ upper: 5_001, lower: 4_999 });
  });

  it("counts only takes of this period and the one before", () => {
    const offset = new DatabaseClockOffset(1_000);
    offset.observe(0, 5_000.5, 2);
    offset.observe(1_500, 6_503, 1_504);
    const own = { upper: 5_020, lower: 4_980 };
    expect(offset.bounds(own, 1_600)).toEqual({ upper: 5_000.5, lower: 4_999 });
    expect(offset.bounds(own, 2_600)).toEqual({ upper: 5_003, lower: 4_999 });
    expect(offset.bounds(own, 3_600)).toEqual(own);
    // A take after a long quiet spell starts afresh.
    offset.observe(10_000, 15_001, 10_002);
    expect(offset.bounds(own, 10_100)).toEqual({ upper: 5_001, lower: 4_999 });
  });

  it("starts afresh from a take that contradicts what it learned: the database's clock stepped", () => {
    const offset = new DatabaseClockOffset(1_000);
    const beforeStep = offset.observe(200, 5_201, 204);
    // The database's clock jumps 100 ms ahead.
    expect(offset.observe(400, 5_501, 402)).toEqual({ upper: 5_101, lower: 5_099 });
    expect(offset.bounds({ upper: 5_110, lower: 5_090 }, 410)).toEqual({ upper: 5_101, lower: 5_099 });
    // A lease granted before the step keeps its own take's bounds rather than a contradiction.
    expect(offset.bounds(beforeStep, 420)).toEqual(beforeStep);
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

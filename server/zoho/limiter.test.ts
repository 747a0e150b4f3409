// The limiter's decisions on a clock the test moves, and two worker processes sharing one PostgreSQL keeping a burst of
// 1,000 calls under Zoho's per-window limit.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { takeCallSlots } from "@/db/queries/zoho-limits";
import { zohoCallLeases, zohoRateLimits } from "@/db/schema";
import { blockedOnLock, gate, tracked } from "@/db/testing/lock-barrier";
import { createDatabase, dropDatabase } from "@/db/testing/server-databases";
import { registerTestDatabase, testDatabaseTemplate } from "@/db/testing/test-database";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { ZohoError } from "./errors";
import type { Clock, ZohoLimiter as Limiter } from "./limiter";
import { consentAndExchange, startZoho } from "./testing/zoho-fixture";

const database = registerTestDatabase();

// The limiter and its queries imported afresh for this file, so what they build as they load (the limits, the real
// clock) is built by the code under test on every run, mutation testing included.
let ZohoLimiter: typeof import("./limiter").ZohoLimiter;
let ZOHO_LIMITS: typeof import("./limiter").ZOHO_LIMITS;
let concurrencyForPlan: typeof import("./limiter").concurrencyForPlan;
let zohoUsage: typeof import("@/db/queries/zoho-limits").zohoUsage;
beforeAll(async () => {
  vi.resetModules();
  // A module that fails to load fails every test below rather than this hook (a failed hook runs no test at all).
  ({ ZohoLimiter, ZOHO_LIMITS, concurrencyForPlan } = await import("./limiter").catch(() => ({}) as never));
  ({ zohoUsage } = await import("@/db/queries/zoho-limits").catch(() => ({}) as never));
});

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;
// Zoho's published limit, which the simulator enforces: the figure the limiter must keep, whatever its own settings say.
const ZOHO_PER_WINDOW = 100;
// A short window keeps the test quick. No margin: a call counts until it is answered, so however long a loaded machine
// takes between a grant and the call's arrival, the simulator's window holds (production keeps a second of sixty for
// how Zoho counts its minute, which the simulator counts exactly).
const WINDOW_MS = 500;
const MARGIN_MS = 0;
const CALLS_PER_WORKER = 500;
const WORKER_DEADLINE_MS = 60_000;

/** The most arrivals inside any window of `windowMs`, counted as the simulator counts them: (t - window, t]. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    busiest = Math.max(busiest, end - start + 1);
  }
  return busiest;
}

type Report = { done: number; failures: string[]; timedOut: boolean; attempts: number; seconds: number };

let zoho: Awaited<ReturnType<typeof startZoho>>;
let recorder: Awaited<ReturnType<typeof serveHttp>>;
const arrivals: { callId: string; at: number; status: number }[] = [];

beforeAll(async () => {
  zoho = await startZoho({ windowMs: WINDOW_MS });
  // Every attempt that reaches "Zoho", with its call's id and the answer it got.
  recorder = await serveHttp(async (request) => {
    const at = Date.now();
    const response = await zoho.simulator.handle(request);
    arrivals.push({ callId: request.headers.get("x-call-id") ?? "", at, status: response.status });
    return response;
  });
});
afterAll(async () => {
  await recorder?.close();
  await zoho?.server.close();
});

const POLICY = { perWindow: 3, windowMs: 1_000, concurrency: 2, leaseMs: 5_000, marginMs: 100 };
const T0 = Date.UTC(2026, 10, 1, 12);

/**
 * A clock the test moves; a pause, recorded, ends once what the event loop had to do before it is done, and moves the
 * clock on to its end (the next whole millisecond, as Date.now reads) unless it is there already: pauses taken together
 * end together.
 */
function testClock(start = T0): Clock & { at: number; pauses: number[] } {
  const clock = {
    at: start,
    pauses: [] as number[],
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.pauses.push(ms);
      const end = Math.ceil(clock.at + ms);
      await new Promise(setImmediate);
      clock.at = Math.max(clock.at, end);
    },
  };
  return clock;
}

const newOrganization = () => `org-${randomUUID()}`;

/** Calls in flight the database holds for an organization. */
async function inFlight(organizationId: string): Promise<number> {
  return (await database.db.select().from(zohoCallLeases).where(eq(zohoCallLeases.organizationId, organizationId)))
    .length;
}

/** The text a drizzle `sql` statement begins with. */
const sqlText = (statement: unknown) =>
  String((statement as { queryChunks?: { value?: string[] }[] }).queryChunks?.[0]?.value?.[0] ?? "");

/** The database as the limiter sees it, each statement it sends named ("take" or "release"); either can be made to fail. */
function countingStatements(db: Db, failures: { failTake?: Error; failRelease?: Error } = {}) {
  const statements: string[] = [];
  let healed = false;
  const proxy = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key !== "execute") return typeof value === "function" ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const name = sqlText(args[0]).includes("zoho_release_answered_slots") ? "release" : "take";
        const failure = name === "take" ? failures.failTake : failures.failRelease;
        statements.push(name);
        if (failure && !healed) throw failure;
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { db: proxy, statements, heal: () => (healed = true) };
}
/** Calls made one after another, each returning its index. */
async function calls(limiter: Limiter, organizationId: string, count: number): Promise<number[]> {
  const results: number[] = [];
  for (let index = 0; index < count; index++) results.push(await limiter.run(organizationId, async () => index));
  return results;
}

describe("ZohoLimiter on a test clock", () => {
  // The jitter added to every pause, fixed so pauses are exact.
  afterEach(() => vi.restoreAllMocks());
  const fixedJitter = () => vi.spyOn(Math, "random").mockReturnValue(0.5);

  it("grants the window's calls, then waits until the oldest leaves the window and its margin", async () => {
    fixedJitter();
    const clock = testClock();
    const limiter = new ZohoLimiter(database.db, POLICY, clock);
    const organizationId = newOrganization();
    expect(await calls(limiter, organizationId, 3)).toEqual([0, 1, 2]);
    expect(clock.pauses).toEqual([]);
    expect(await limiter.run(organizationId, async () => "fourth")).toBe("fourth");
    // Oldest call answered at T0; window 1,000 and margin 100: free from T0 + 1,100 on. The next take is asked up to
    // 5 ms ahead (here 2.5, the jitter of a take that found nothing free), and the call is held until then.
    expect(clock.pauses).toEqual([1_100 - 5 + 2.5, 2]);
    expect(limiter.waitedMs).toBe(1_097.5);
    expect(await zohoUsage(database.db, organizationId, clock.at)).toMatchObject({ callsToday: 4 });
  });

  it("keeps Zoho's window however late a granted call is sent: a call counts until it is answered", async () => {
    fixedJitter();
    const clock = testClock();
    const limiter = new ZohoLimiter(database.db, { ...POLICY, concurrency: 5, marginMs: 0 }, clock);
    const organizationId = newOrganization();
    const arrivals: number[] = [];
    const arrive = (lateMs: number) => async () => {
      if (lateMs > 0) {
        // The others are answered meanwhile.
        await new Promise(setImmediate);
        clock.at += lateMs;
      }
      arrivals.push(clock.now());
    };
    // Three calls granted at T0: two reach Zoho at once, the third 900 ms later (its worker was busy).
    await Promise.all([0, 0, 900].map((lateMs) => limiter.run(organizationId, arrive(lateMs))));
    await Promise.all([0, 0, 0].map((lateMs) => limiter.run(organizationId, arrive(lateMs))));
    // Dated by its grant, the late call left the window at T0 + 1,000 and three more reached Zoho beside it. Counted
    // until answered (T0 + 900) it keeps its place until T0 + 1,900: the third call waits for it. Granted ahead, each
    // call goes as its slot frees.
    expect(busiestWindow(arrivals, POLICY.windowMs)).toBe(POLICY.perWindow);
    expect(arrivals.map((at) => at - T0)).toEqual([0, 0, 900, 1_000, 1_000, 1_900]);
  });

  it("waits for the oldest call in the window, not the newest", async () => {
    fixedJitter();
    const organizationId = newOrganization();
    for (const at of [T0, T0 + 100, T0 + 200]) {
      // Each its own worker, its call's slot handed back before the next comes.
      const worker = new ZohoLimiter(database.db, POLICY, testClock(at));
      await worker.run(organizationId, async () => undefined);
      await worker.settle();
    }
    const clock = testClock(T0 + 300);
    await new ZohoLimiter(database.db, POLICY, clock).run(organizationId, async () => undefined);
    expect(clock.pauses).toEqual([800 - 5 + 2.5, 2]);
  });

  it("counts the wait from when its take was asked: a slow answer does not make the next take late", async () => {
    fixedJitter();
    const organizationId = newOrganization();
    await calls(new ZohoLimiter(database.db, POLICY, testClock()), organizationId, 3);
    const clock = testClock(T0 + 300);
    // Each take's answer comes back 40 ms after the database decided it.
    const slow = new Proxy(database.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== "execute") return typeof value === "function" ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const result = await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
          clock.at += 40;
          return result;
        };
      },
    });
    await new ZohoLimiter(slow, POLICY, clock).run(organizationId, async () => undefined);
    // Decided at T0 + 300, free in 800 ms: the next take is asked at T0 + 1,097.5 (5 ms ahead, and the jitter), not
    // 40 ms later. Its call is held until T0 + 1,100 at least, by the database's clock at the latest the take could have
    // read (its answer came 40 ms after).
    expect(clock.pauses).toEqual([800 - 5 + 2.5 - 40, 2]);
  });

  it("sends a call granted ahead on a clock a pause does not move, rather than wait for it forever", async () => {
    const organizationId = newOrganization();
    await calls(new ZohoLimiter(database.db, POLICY, testClock()), organizationId, 3);
    // The window frees at T0 + 1,100: a take at T0 + 1,098 grants the slot ahead, to be used from then.
    const frozen: Clock = { now: () => T0 + 1_098, sleep: async () => {} };
    expect(await new ZohoLimiter(database.db, POLICY, frozen).run(organizationId, async () => "sent")).toBe("sent");
  });

  it("counts a call as in the window until exactly window plus margin has passed since its answer", async () => {
    fixedJitter();
    const organizationId = newOrganization();
    // Answered at T0.
    await calls(new ZohoLimiter(database.db, POLICY, testClock()), organizationId, 3);
    const stillInside = testClock(T0 + 1_099);
    const sentAt = await new ZohoLimiter(database.db, POLICY, stillInside).run(organizationId, async () =>
      stillInside.now(),
    );
    expect(sentAt).toBe(T0 + 1_100);

    const other = newOrganization();
    await calls(new ZohoLimiter(database.db, POLICY, testClock()), other, 3);
    const justOut = testClock(T0 + 1_100);
    await new ZohoLimiter(database.db, POLICY, justOut).run(other, async () => undefined);
    expect(justOut.pauses).toEqual([]);
  });

  it("holds calls beyond the concurrency until one in flight ends, and frees a slot when its work throws", async () => {
    fixedJitter();
    const organizationId = newOrganization();
    let finishFirst!: () => void;
    const first = new Promise<void>((resolve) => (finishFirst = resolve));
    const holder = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, testClock());
    const holding = [
      holder.run(organizationId, () => first),
      holder.run(organizationId, () => new Promise<void>(() => {})),
    ];
    await vi.waitFor(async () =>
      expect(await zohoUsage(database.db, organizationId, T0)).toMatchObject({ callsToday: 2 }),
    );

    const clock = testClock();
    // The third caller's first pause ends the first call, so its second try finds a slot.
    clock.sleep = async (ms) => {
      clock.pauses.push(ms);
      finishFirst();
      await holding[0];
      await vi.waitFor(async () => expect(await inFlight(organizationId)).toBe(1));
    };
    const third = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, clock);
    expect(await third.run(organizationId, async () => "third")).toBe("third");
    expect(clock.pauses).toEqual([10 + 2.5]);

    const failing = new Error("Zoho said no");
    const single = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100, concurrency: 1 }, testClock());
    const alone = newOrganization();
    await expect(single.run(alone, async () => Promise.reject(failing))).rejects.toBe(failing);
    expect(await single.run(alone, async () => "after")).toBe("after");
    expect(single.waitedMs).toBe(0);
  });

  it("takes back the slot of a worker that died mid-call once its lease has run out, not before", async () => {
    fixedJitter();
    const organizationId = newOrganization();
    const dead = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, testClock());
    void dead.run(organizationId, () => new Promise<void>(() => {}));
    void dead.run(organizationId, () => new Promise<void>(() => {}));
    await vi.waitFor(async () =>
      expect(await zohoUsage(database.db, organizationId, T0)).toMatchObject({ callsToday: 2 }),
    );

    const atExpiry = testClock(T0 + POLICY.leaseMs);
    await new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, atExpiry).run(
      organizationId,
      async () => undefined,
    );
    expect(atExpiry.pauses).toEqual([10 + 2.5]);
    const past = testClock(T0 + POLICY.leaseMs + 1);
    await new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, past).run(organizationId, async () => undefined);
    expect(past.pauses).toEqual([]);
  });

  it("stops before calling once the daily quota is spent, until it resets", async () => {
    const clock = testClock();
    const limiter = new ZohoLimiter(database.db, POLICY, clock);
    const organizationId = newOrganization();
    await limiter.run(organizationId, async () => undefined);
    await limiter.quotaSpent(organizationId, 60);
    const work = vi.fn(async () => "called");
    const spent = new ZohoError(
      "daily_quota",
      `Zoho's daily API quota for this organization is spent; calls resume after ${new Date(T0 + 60_000).toISOString()}.`,
    );
    await expect(limiter.run(organizationId, work)).rejects.toEqual(spent);
    clock.at = T0 + 59_999;
    await expect(limiter.run(organizationId, work)).rejects.toEqual(spent);
    expect(work).not.toHaveBeenCalled();
    clock.at = T0 + 60_000;
    expect(await limiter.run(organizationId, work)).toBe("called");

    const unknownReset = newOrganization();
    await limiter.run(unknownReset, async () => undefined);
    await limiter.quotaSpent(unknownReset, null);
    expect(await zohoUsage(database.db, unknownReset, clock.at)).toMatchObject({
      dailyRemaining: 0,
      resetsAt: new Date(clock.at + 3_600_000),
    });
  });

  it("keeps the daily quota Zoho reports, counts it down per call, and ignores headers it can't read", async () => {
    const clock = testClock();
    const limiter = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, clock);
    const organizationId = newOrganization();
    await limiter.run(organizationId, async () => undefined);
    const headers = (values: Record<string, string>) => new Headers(values);

    await limiter.noteQuota(organizationId, headers({ "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "30" }));
    await limiter.noteQuota(
      organizationId,
      headers({ "X-Rate-Limit-Limit": "1000", "X-Rate-Limit-Remaining": "soon", "X-Rate-Limit-Reset": "30" }),
    );
    await limiter.noteQuota(
      organizationId,
      headers({ "X-Rate-Limit-Limit": "1000", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "Infinity" }),
    );
    expect(await zohoUsage(database.db, organizationId, clock.at)).toEqual({
      callsToday: 1,
      dailyLimit: null,
      dailyRemaining: null,
      resetsAt: null,
    });

    await limiter.noteQuota(
      organizationId,
      headers({ "X-Rate-Limit-Limit": "1000", "X-Rate-Limit-Remaining": "2", "X-Rate-Limit-Reset": "30" }),
    );
    expect(await zohoUsage(database.db, organizationId, clock.at)).toEqual({
      callsToday: 1,
      dailyLimit: 1000,
      dailyRemaining: 2,
      resetsAt: new Date(T0 + 30_000),
    });
    await calls(limiter, organizationId, 2);
    expect(await zohoUsage(database.db, organizationId, clock.at)).toMatchObject({ callsToday: 3, dailyRemaining: 0 });
    await expect(limiter.run(organizationId, async () => undefined)).rejects.toMatchObject({ kind: "daily_quota" });
  });

  it("takes the slots of callers waiting together in one statement, and hands finished ones back together", async () => {
    const counted = countingStatements(database.db);
    const limiter = new ZohoLimiter(counted.db, { ...POLICY, perWindow: 100, concurrency: 10 }, testClock());
    const organizationId = newOrganization();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, index) => limiter.run(organizationId, async () => index)),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // One take for the eight, one release for the eight (one slot a statement and a release each made sixteen).
    await vi.waitFor(async () => expect(await inFlight(organizationId)).toBe(0));
    expect(counted.statements).toEqual(["take", "release"]);
    expect(await zohoUsage(database.db, organizationId, T0)).toMatchObject({ callsToday: 8 });
  });

  it("grants what the window allows of a batch at once, and the rest when its oldest call leaves", async () => {
    fixedJitter();
    const clock = testClock();
    const counted = countingStatements(database.db);
    const limiter = new ZohoLimiter(counted.db, { ...POLICY, concurrency: 5 }, clock);
    const organizationId = newOrganization();
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () => limiter.run(organizationId, async () => void started.push(clock.now()))),
    );
    // The window is full of calls in flight at first: a moment's pause (10 ms and a short wait's jitter), while they
    // are answered at T0. Free from T0 + 1,100 on (window and margin): the next take is asked 5 ms ahead, and the jitter
    // of a take that found nothing; it grants both slots ahead, their calls held until then.
    expect(started.map((at) => at - T0)).toEqual([0, 0, 0, 1_100, 1_100]);
    expect(clock.pauses).toEqual([10 + 0.25, 1_100 - 11 - 5 + 2.5, 2, 2]);
    expect(counted.statements.filter((statement) => statement === "take")).toHaveLength(3);
  });

  it("hands a finished call's slot back on the next caller's take when one comes soon, not on a statement of its own", async () => {
    const counted = countingStatements(database.db);
    const limiter = new ZohoLimiter(counted.db, { ...POLICY, perWindow: 100 }, testClock());
    const organizationId = newOrganization();
    for (let call = 0; call < 5; call++) {
      await limiter.run(organizationId, async () => undefined);
      // The next record's own work before its call.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await limiter.settle();
    expect(counted.statements).toEqual(["take", "take", "take", "take", "take", "release"]);
    expect(await inFlight(organizationId)).toBe(0);
  });

  it("hands a finished call's slot back on the take already asked for, so a busy page costs about a statement a call", async () => {
    const counted = countingStatements(database.db);
    const limiter = new ZohoLimiter(counted.db, { ...POLICY, perWindow: 1_000, concurrency: 5 }, testClock());
    const organizationId = newOrganization();
    const lanes = Array.from({ length: 4 }, async () => {
      for (let call = 0; call < 25; call++) await limiter.run(organizationId, () => new Promise(setImmediate));
    });
    await Promise.all(lanes);
    expect(await zohoUsage(database.db, organizationId, T0)).toMatchObject({ callsToday: 100 });
    await vi.waitFor(async () => expect(await inFlight(organizationId)).toBe(0));
    // One slot a statement and a release each would be 200.
    expect(counted.statements.length).toBeLessThanOrEqual(100);
  });

  it("never overdraws a daily quota Zoho reported with a batch", async () => {
    const limiter = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100, concurrency: 10 }, testClock());
    const organizationId = newOrganization();
    await limiter.run(organizationId, async () => undefined);
    await limiter.noteQuota(
      organizationId,
      new Headers({ "X-Rate-Limit-Limit": "1000", "X-Rate-Limit-Remaining": "2", "X-Rate-Limit-Reset": "30" }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => limiter.run(organizationId, async () => "called")),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(2);
    expect(
      outcomes.filter((outcome) => outcome.status === "rejected" && outcome.reason.kind === "daily_quota"),
    ).toHaveLength(3);
    expect(await zohoUsage(database.db, organizationId, T0)).toMatchObject({ callsToday: 3, dailyRemaining: 0 });
  });

  it("refuses the callers waiting when the database fails, and serves the next ones once it is back", async () => {
    const failing = new Error("connection lost");
    const counted = countingStatements(database.db, { failTake: failing });
    const limiter = new ZohoLimiter(counted.db, POLICY, testClock());
    const organizationId = newOrganization();
    const work = vi.fn(async () => "called");
    const outcomes = await Promise.allSettled([limiter.run(organizationId, work), limiter.run(organizationId, work)]);
    expect(outcomes).toEqual([
      { status: "rejected", reason: failing },
      { status: "rejected", reason: failing },
    ]);
    expect(work).not.toHaveBeenCalled();
    counted.heal();
    expect(await limiter.run(organizationId, work)).toBe("called");
  });

  it("refuses the callers waiting for the window when the wait itself fails, leaving none waiting forever", async () => {
    const clock = testClock();
    const broken = new Error("the clock stopped");
    clock.sleep = async () => Promise.reject(broken);
    const limiter = new ZohoLimiter(database.db, { ...POLICY, concurrency: 5 }, clock);
    const organizationId = newOrganization();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => limiter.run(organizationId, async () => "called")),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
  });

  it("keeps a call's answer when its slot cannot be handed back: the slot returns when its lease runs out", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const counted = countingStatements(database.db, { failRelease: new Error("connection lost") });
    const limiter = new ZohoLimiter(counted.db, { ...POLICY, concurrency: 1 }, testClock());
    const organizationId = newOrganization();
    expect(await limiter.run(organizationId, async () => "answered")).toBe("answered");
    await vi.waitFor(() =>
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("Could not hand back"), expect.any(Error)),
    );
    expect(await inFlight(organizationId)).toBe(1);
    const afterLease = new ZohoLimiter(database.db, { ...POLICY, concurrency: 1 }, testClock(T0 + POLICY.leaseMs + 1));
    expect(await afterLease.run(organizationId, async () => "next")).toBe("next");
  });

  it("hands back every finished call's slot on settle, so none is left in flight when the database closes", async () => {
    const limiter = new ZohoLimiter(database.db, { ...POLICY, perWindow: 100 }, testClock());
    const organizationId = newOrganization();
    await Promise.all([limiter.run(organizationId, async () => 1), limiter.run(organizationId, async () => 2)]);
    await limiter.settle();
    expect(await inFlight(organizationId)).toBe(0);
  });

  it("starts the day's count again on a new UTC day", async () => {
    const organizationId = newOrganization();
    await calls(new ZohoLimiter(database.db, POLICY, testClock(Date.UTC(2026, 10, 1, 23, 59))), organizationId, 2);
    const nextDay = Date.UTC(2026, 10, 2, 0, 1);
    await calls(new ZohoLimiter(database.db, POLICY, testClock(nextDay)), organizationId, 1);
    expect(await zohoUsage(database.db, organizationId, nextDay)).toMatchObject({ callsToday: 1 });
    expect(await zohoUsage(database.db, organizationId, Date.UTC(2026, 10, 3))).toMatchObject({ callsToday: 0 });
  });

  it("reports no usage for an organization never called", async () => {
    expect(await zohoUsage(database.db, newOrganization(), T0)).toEqual({
      callsToday: 0,
      dailyLimit: null,
      dailyRemaining: null,
      resetsAt: null,
    });
  });

  it("waits on the real clock by default", async () => {
    const limiter = new ZohoLimiter(database.db, { ...POLICY, perWindow: 1, windowMs: 500, marginMs: 0 });
    const organizationId = newOrganization();
    const started = Date.now();
    await limiter.run(organizationId, async () => undefined);
    // Each pause draws its jitter once: one pause, not a loop asking the database again and again.
    const pauses = vi.spyOn(Math, "random");
    await limiter.run(organizationId, async () => undefined);
    // The second call waited for the first to leave the half-second window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(pauses).toHaveBeenCalledTimes(1);
    expect(limiter.waitedMs).toBeGreaterThan(0);
  });

  it("allows ten calls at once on a paid plan and five on the free one", () => {
    expect([
      concurrencyForPlan("FREE"),
      concurrencyForPlan("free"),
      concurrencyForPlan(undefined),
      concurrencyForPlan(""),
      concurrencyForPlan("STANDARD"),
    ]).toEqual([5, 5, 5, 5, 10]);
    expect(ZOHO_LIMITS).toEqual({
      perWindow: 100,
      windowMs: 60_000,
      concurrency: 5,
      leaseMs: 60_000,
      marginMs: 1_000,
    });
  });
});

describe.skipIf(!serverUrl)("ZohoLimiter waiting for another worker's lock (PostgreSQL)", () => {
  it("dates a call by the database's clock once it holds the lock, so a queue for the lock can't let a crowd through", async () => {
    const { db } = database;
    const organizationId = newOrganization();
    const limiter = new ZohoLimiter(db, POLICY);
    await limiter.run(organizationId, async () => undefined);

    const locked = gate();
    const release = gate();
    const otherWorker = db.transaction(async (tx) => {
      await tx.select().from(zohoRateLimits).where(eq(zohoRateLimits.organizationId, organizationId)).for("update");
      locked.open();
      await release.opened;
    });
    await locked.opened;
    const asking = tracked(limiter.run(organizationId, async () => "granted"));
    expect(await blockedOnLock(db, asking.settled)).toBe("blocked");
    // A third of a second passes while it waits for the other worker's lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const releasedAt = Date.now();
    release.open();
    await otherWorker;
    expect(await asking.promise).toBe("granted");
    // Both answered and handed back: the window holds their answers.
    const row = await vi.waitFor(async () => {
      const [limits] = await db
        .select({ recentCalls: zohoRateLimits.recentCalls })
        .from(zohoRateLimits)
        .where(eq(zohoRateLimits.organizationId, organizationId));
      expect(limits!.recentCalls).toHaveLength(2);
      return limits;
    });
    expect(row!.recentCalls[1]!).toBeGreaterThanOrEqual(releasedAt);
    expect(row!.recentCalls[1]! - row!.recentCalls[0]!).toBeGreaterThanOrEqual(300);
  });
});

describe.skipIf(!serverUrl)("zoho_take_slots_ahead under another worker's lock (PostgreSQL)", () => {
  const LEASE = { perWindow: 100, windowMs: 1_000, concurrency: 5, leaseMs: 1_000, marginMs: 0 };

  it("hands back a lease that ran out while another take holds the organization, neither failing", async () => {
    const { db } = database;
    const organizationId = newOrganization();
    const take = (on: Db, now: number, released: string[] = []) =>
      takeCallSlots(on, {
        organizationId,
        wanted: 1,
        released: released.map((leaseId) => ({ leaseId, answeredAt: T0 + 1 })),
        policy: LEASE,
        now,
      });
    const [ranOut] = (await take(db, T0)).leases.map((lease) => lease.id);
    const later = T0 + 10 * LEASE.leaseMs;

    // The other worker's take holds the organization's row, and deletes the leases that ran out once let go on.
    const holding = gate();
    const proceed = gate();
    const other = db.transaction(async (tx) => {
      await take(tx, T0 + 1);
      holding.open();
      await proceed.opened;
      return take(tx, later);
    });
    await holding.opened;
    const handingBack = tracked(take(db, later, [ranOut!]));
    expect(await blockedOnLock(db, handingBack.settled)).toBe("blocked");
    proceed.open();
    // Before the fix the hand-back locked the lease first: PostgreSQL found a deadlock and failed one of them.
    const outcomes = await Promise.allSettled([handingBack.promise, other]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(await inFlight(organizationId)).toBe(2);
  });
});

describe("busiestWindow", () => {
  it("counts arrivals in the busiest window, ends as the simulator counts them", () => {
    expect(busiestWindow([], 100)).toBe(0);
    expect(busiestWindow([0, 50, 99, 100, 199, 200, 201], 100)).toBe(3);
    expect(busiestWindow([300, 0, 100, 200], 100)).toBe(1);
    expect(busiestWindow([0, 0, 0, 150], 100)).toBe(3);
  });
});

describe.skipIf(!serverUrl)("ZohoLimiter across processes", () => {
  it(
    "keeps 1,000 calls from two workers at most 100 in any window, each call answered once",
    async () => {
      const { name, url } = await createDatabase(serverUrl!, "limiter", testDatabaseTemplate());
      try {
        const { accessToken } = await consentAndExchange(zoho.url);
        const worker = (label: string) =>
          run(
            "node",
            [
              "--import",
              "tsx",
              "server/zoho/testing/burst-worker.ts",
              url,
              recorder.url,
              accessToken,
              String(CALLS_PER_WORKER),
              String(WINDOW_MS),
              String(MARGIN_MS),
              label,
              String(WORKER_DEADLINE_MS),
            ],
            { timeout: WORKER_DEADLINE_MS + 15_000 },
          );
        const reports = (await Promise.all([worker("a"), worker("b")])).map(
          (output) => JSON.parse(output.stdout.trim().split("\n").pop()!) as Report,
        );

        // The figure first: a limiter that lets too much through fails here, however the rest went.
        expect(
          busiestWindow(
            arrivals.map((arrival) => arrival.at),
            WINDOW_MS,
          ),
        ).toBeLessThanOrEqual(ZOHO_PER_WINDOW);
        expect(zoho.simulator.peaks.perWindow).toBeLessThanOrEqual(ZOHO_PER_WINDOW);
        expect(arrivals.filter((arrival) => arrival.status === 429)).toEqual([]);
        expect(reports.map((report) => ({ timedOut: report.timedOut, failures: report.failures }))).toEqual([
          { timedOut: false, failures: [] },
          { timedOut: false, failures: [] },
        ]);

        // Calls, not attempts: every call answered exactly once, whatever was retried on the way.
        const answered = arrivals.filter((arrival) => arrival.status === 200).map((arrival) => arrival.callId);
        expect(answered).toHaveLength(2 * CALLS_PER_WORKER);
        expect(new Set(answered)).toEqual(
          new Set(
            ["a", "b"].flatMap((label) => Array.from({ length: CALLS_PER_WORKER }, (_, index) => `${label}-${index}`)),
          ),
        );
        expect(reports.map((report) => report.done)).toEqual([CALLS_PER_WORKER, CALLS_PER_WORKER]);
        // Paced, not merely counted: 1,000 calls at 100 a window span at least nine windows.
        const times = arrivals.map((arrival) => arrival.at);
        expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(
          ((2 * CALLS_PER_WORKER) / ZOHO_PER_WINDOW - 1) * WINDOW_MS,
        );
      } finally {
        await dropDatabase(serverUrl!, name);
      }
    },
    2 * (WORKER_DEADLINE_MS + 15_000),
  );
});

// The attempt counter on PostgreSQL: the limit, the lock and its end, the window, and successes given back.
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { recordSuccess, refundAttempts, succeededSince, takeAttempt, takeAttempts } from "./sign-in-throttle";

const database = registerTestDatabase();
const policy = { maxAttempts: 3, windowMs: 60_000, lockMs: 120_000 };
const now = new Date("2026-11-25T08:00:00Z");
const plus = (ms: number) => new Date(now.getTime() + ms);

describe("sign-in attempt counter", () => {
  it("allows the limit, locks the attempt after it until the lock ends, then counts afresh", async () => {
    const { db } = database;
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++) answers.push(await takeAttempt(db, "k:limit", policy, now));
    expect(answers).toEqual([undefined, undefined, undefined, plus(policy.lockMs), plus(policy.lockMs)]);
    expect(await takeAttempt(db, "k:limit", policy, plus(policy.lockMs - 1))).toEqual(plus(policy.lockMs));
    expect(await takeAttempt(db, "k:limit", policy, plus(policy.lockMs))).toBeUndefined();
  });

  it("starts a new window once the old one has passed", async () => {
    const { db } = database;
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) await takeAttempt(db, "k:window", policy, now);
    expect(await takeAttempt(db, "k:window", policy, plus(policy.windowMs + 1))).toBeUndefined();
    expect(await takeAttempt(db, "k:window", policy, plus(policy.windowMs + 2))).toBeUndefined();
  });

  it("gives back the attempts of successes, so only failures reach the limit", async () => {
    const { db } = database;
    for (let attempt = 0; attempt < 2 * policy.maxAttempts; attempt++) {
      expect(await takeAttempts(db, [["k:refund", policy]], now), `attempt ${attempt}`).toBeUndefined();
      await refundAttempts(db, ["k:refund"], now);
    }
    for (let attempt = 0; attempt < policy.maxAttempts; attempt++) await takeAttempt(db, "k:refund", policy, now);
    expect(await takeAttempt(db, "k:refund", policy, now)).toEqual(plus(policy.lockMs));
    await refundAttempts(db, ["k:refund"], now);
    expect(await takeAttempt(db, "k:refund", policy, now)).toEqual(plus(policy.lockMs));
  });

  it("remembers a success on a key, which also ends its count and lock", async () => {
    const { db } = database;
    expect(await succeededSince(db, "k:known", plus(-1))).toBe(false);
    for (let attempt = 0; attempt <= policy.maxAttempts; attempt++) await takeAttempt(db, "k:known", policy, now);
    await recordSuccess(db, "k:known", now);
    expect(await succeededSince(db, "k:known", plus(-1))).toBe(true);
    expect(await succeededSince(db, "k:known", now)).toBe(false);
    expect(await takeAttempt(db, "k:known", policy, now)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { estimateRemaining, type EtaInput } from "./eta";

const zoho = { perMinute: 100, minuteMs: 60_000, dailyLimit: 2_000, dailyRemaining: 2_000, reservePercent: 20 };
const at = (progress: Pick<EtaInput, "done" | "total" | "zohoCalls">, limits: Partial<EtaInput> = {}) =>
  estimateRemaining({ ...zoho, ...progress, ...limits });

describe("the ETA of a run, from Zoho's limits", () => {
  it("has nothing to say before a record is done or while the total is unknown", () => {
    expect(at({ done: 0, total: 250, zohoCalls: 0 })).toBeNull();
    expect(at({ done: 10, total: null, zohoCalls: 10 })).toBeNull();
  });

  it("spends the calls per record seen so far on the records left, 100 a minute", () => {
    // 2 calls a record so far, 125 records left: 250 calls, three of Zoho's minutes.
    expect(at({ done: 25, total: 150, zohoCalls: 50 })).toEqual({
      text: "about 3 minutes: Zoho allows 100 calls a minute",
      tomorrow: false,
    });
    expect(at({ done: 100, total: 190, zohoCalls: 100 })?.text).toBe("about 1 minute: Zoho allows 100 calls a minute");
    expect(at({ done: 240, total: 250, zohoCalls: 0 })?.text).toBe("under a minute: Zoho allows 100 calls a minute");
    expect(at({ done: 250, total: 250, zohoCalls: 300 })?.text).toBe("under a minute: Zoho allows 100 calls a minute");
    // 1,200 calls: 12 minutes at the limit, well inside today's quota.
    expect(at({ done: 10, total: 1_210, zohoCalls: 10 })?.text).toBe(
      "about 12 minutes: Zoho allows 100 calls a minute",
    );
  });

  it("follows the organization's minute, so a scaled-down sandbox minute gives a shorter wait", () => {
    expect(at({ done: 25, total: 150, zohoCalls: 50 }, { minuteMs: 2_000 })?.text).toBe(
      "under a minute: Zoho allows 100 calls a minute",
    );
  });

  it("counts hours when the backlog is long but fits in today's quota", () => {
    expect(at({ done: 1, total: 9_001, zohoCalls: 1 }, { dailyLimit: 12_000, dailyRemaining: 12_000 })?.text).toBe(
      "about 2 hours: Zoho allows 100 calls a minute",
    );
  });

  it("spreads a backlog over days at the daily quota less the reserve, the rest continuing tomorrow", () => {
    // 2,000 a day less 20 % kept: 1,600 a day. Today 1,000 are left, 400 of them kept: 600 usable today.
    // 9,000 calls: 600 today, then 8,400 at 1,600 a day = 6 more days (5.25 rounded up).
    expect(at({ done: 100, total: 9_100, zohoCalls: 100 }, { dailyRemaining: 1_000 })).toEqual({
      text: "about 7 days at 1,600 calls a day — the rest continues tomorrow",
      tomorrow: true,
    });
    expect(at({ done: 100, total: 8_100, zohoCalls: 100 }, { dailyRemaining: 400 })?.text).toBe(
      "about 6 days at 1,600 calls a day — the rest continues tomorrow",
    );
    // Exactly what is usable today still finishes today.
    expect(at({ done: 100, total: 700, zohoCalls: 100 }, { dailyRemaining: 1_000 })?.tomorrow).toBe(false);
    expect(at({ done: 100, total: 701, zohoCalls: 100 }, { dailyRemaining: 1_000 })?.text).toBe(
      "about 2 days at 1,600 calls a day — the rest continues tomorrow",
    );
  });

  it("without a known daily quota, estimates at the per-minute limit alone", () => {
    expect(at({ done: 1, total: 10_001, zohoCalls: 1 }, { dailyLimit: null, dailyRemaining: null })?.text).toBe(
      "about 2 hours: Zoho allows 100 calls a minute",
    );
  });
});

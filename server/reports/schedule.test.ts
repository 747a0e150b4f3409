// Scheduled reconciliation periods in the tenant's time zone: the day, the Monday-to-Sunday week and the calendar month
// that ended there, across daylight-saving changes and in zones far from UTC.
import { describe, expect, it } from "vitest";
import { reconciliationPeriod } from "./schedule";

const at = (instant: string) => new Date(instant);

describe("reconciliationPeriod", () => {
  it("covers the week that ended in the tenant's zone, which UTC has not ended yet or ended a day ago", () => {
    // Sunday 10:30 in UTC is already Monday 00:30 on Kiritimati (UTC+14) and still Saturday 23:30 on Niue (UTC-11).
    const sunday = at("2026-11-29T10:30:00Z");
    expect(reconciliationPeriod("weekly", sunday, "UTC")).toEqual({
      slot: "2026-W47",
      from: "2026-11-16",
      to: "2026-11-22",
    });
    expect(reconciliationPeriod("weekly", sunday, "Pacific/Kiritimati")).toEqual({
      slot: "2026-W48",
      from: "2026-11-23",
      to: "2026-11-29",
    });
    expect(reconciliationPeriod("weekly", at("2026-11-30T10:30:00Z"), "Pacific/Niue")).toEqual({
      slot: "2026-W47",
      from: "2026-11-16",
      to: "2026-11-22",
    });
    expect(reconciliationPeriod("weekly", at("2026-11-30T11:30:00Z"), "Pacific/Niue")).toMatchObject({
      slot: "2026-W48",
    });
  });

  it("turns the week at the tenant's midnight on either side of a daylight-saving change", () => {
    // London moves to BST at 01:00 UTC on Sunday 29 March 2026: its Monday begins at 23:00 UTC on Sunday.
    expect(reconciliationPeriod("weekly", at("2026-03-29T22:59:00Z"), "Europe/London")).toMatchObject({
      slot: "2026-W12",
      from: "2026-03-16",
    });
    expect(reconciliationPeriod("weekly", at("2026-03-29T23:00:00Z"), "Europe/London")).toEqual({
      slot: "2026-W13",
      from: "2026-03-23",
      to: "2026-03-29",
    });
    // New York leaves EDT on Sunday 1 November 2026: the month turns at 04:00 UTC, still under EDT.
    expect(reconciliationPeriod("monthly", at("2026-11-01T03:59:00Z"), "America/New_York")).toEqual({
      slot: "2026-09",
      from: "2026-09-01",
      to: "2026-09-30",
    });
    expect(reconciliationPeriod("monthly", at("2026-11-01T04:00:00Z"), "America/New_York")).toEqual({
      slot: "2026-10",
      from: "2026-10-01",
      to: "2026-10-31",
    });
  });

  it("covers yesterday, the last calendar month across a year's end and February, and nothing when off", () => {
    expect(reconciliationPeriod("daily", at("2026-01-01T09:00:00Z"), "Asia/Kolkata")).toEqual({
      slot: "2025-12-31",
      from: "2025-12-31",
      to: "2025-12-31",
    });
    expect(reconciliationPeriod("monthly", at("2026-01-01T09:00:00Z"), "Asia/Kolkata")).toEqual({
      slot: "2025-12",
      from: "2025-12-01",
      to: "2025-12-31",
    });
    expect(reconciliationPeriod("monthly", at("2028-03-01T00:00:00Z"), "Pacific/Kiritimati")).toEqual({
      slot: "2028-02",
      from: "2028-02-01",
      to: "2028-02-29",
    });
    // ISO weeks: 28 December 2026 to 3 January 2027 is 2026's 53rd week.
    expect(reconciliationPeriod("weekly", at("2027-01-04T12:00:00Z"), "UTC")).toMatchObject({ slot: "2026-W53" });
    expect(reconciliationPeriod("off", at("2026-11-29T10:30:00Z"), "UTC")).toBeNull();
  });
});

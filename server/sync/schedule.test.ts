import { describe, expect, it } from "vitest";
import { dueRuns, nextScheduledRun } from "./schedule";
import { readSettings } from "./settings";

const tenant = (tenantId: string, settings: unknown, connectionsHealthy = true) => ({ tenantId, settings: readSettings(settings), connectionsHealthy });

describe("dueRuns", () => {
  it("starts a tenant at its launch time in its own time zone, with only its toggled entities", () => {
    const london = tenant("london", { general: { timeZone: "Europe/London" }, schedule: { launchTime: "03:00", customers: true, invoices: true } });
    const lagos = tenant("lagos", { general: { timeZone: "Africa/Lagos" }, schedule: { launchTime: "03:00", payments: true } });
    // 03:00 UTC is 03:00 in London (winter) and 04:00 in Lagos.
    expect(dueRuns([london, lagos], new Date("2026-11-25T03:00:00Z"), 15)).toEqual([{ tenantId: "london", entities: ["customer", "invoice"], slot: "2026-11-25T03:00" }]);
    expect(dueRuns([london, lagos], new Date("2026-11-25T02:00:00Z"), 15).map((run) => run.tenantId)).toEqual(["lagos"]);
  });

  it("runs nobody with every toggle off (the default) or a broken connection, and honours the interval", () => {
    expect(dueRuns([tenant("default", {})], new Date("2026-11-25T03:00:00Z"), 15)).toEqual([]);
    expect(dueRuns([tenant("broken", { schedule: { customers: true, launchTime: "03:00" } }, false)], new Date("2026-11-25T03:00:00Z"), 15)).toEqual([]);
    const frequent = tenant("frequent", { schedule: { customers: true, intervalMinutes: 30, launchTime: "23:59" } });
    expect(dueRuns([frequent], new Date("2026-11-25T10:30:00Z"), 15)).toHaveLength(1);
    expect(dueRuns([frequent], new Date("2026-11-25T10:45:00Z"), 15)).toHaveLength(0);
  });

  it("names the same slot for the same tick, so a repeated tick can't start a second run", () => {
    const daily = tenant("daily", { schedule: { customers: true, launchTime: "06:10" } });
    const first = dueRuns([daily], new Date("2026-11-25T06:00:00Z"), 15);
    const again = dueRuns([daily], new Date("2026-11-25T06:00:00Z"), 15);
    expect(first).toEqual(again);
    expect(first[0]!.slot).toBe("2026-11-25T06:00");
  });
});

describe("nextScheduledRun", () => {
  it("finds the next launch in the tenant's time zone, or none when every toggle is off", () => {
    const settings = readSettings({ general: { timeZone: "Asia/Tokyo" }, schedule: { launchTime: "03:00", customers: true } });
    expect(nextScheduledRun(settings, new Date("2026-11-25T10:00:00Z"))?.toISOString()).toBe("2026-11-25T18:00:00.000Z");
    expect(nextScheduledRun(readSettings({}), new Date("2026-11-25T10:00:00Z"))).toBeNull();
  });
});

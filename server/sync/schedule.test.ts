import { describe, expect, it } from "vitest";
import { dueRuns, nextScheduledRun } from "./schedule";
import { readSettings } from "./settings";

const tenant = (tenantId: string, settings: unknown, connectionsHealthy = true) => ({
  tenantId,
  settings: readSettings(settings),
  connectionsHealthy,
});

describe("dueRuns", () => {
  it("starts a tenant at its launch time in its own time zone, with only its toggled entities", () => {
    const london = tenant("london", {
      general: { timeZone: "Europe/London" },
      schedule: { launchTime: "03:00", customers: true, invoices: true },
    });
    const lagos = tenant("lagos", {
      general: { timeZone: "Africa/Lagos" },
      schedule: { launchTime: "03:00", payments: true },
    });
    // 03:00 UTC is 03:00 in London (winter) and 04:00 in Lagos.
    expect(dueRuns([london, lagos], new Date("2026-11-25T03:00:00Z"), 15)).toEqual([
      { tenantId: "london", entities: ["customer", "invoice"], slot: "2026-11-25T03:00:00.000Z" },
    ]);
    expect(dueRuns([london, lagos], new Date("2026-11-25T02:00:00Z"), 15).map((run) => run.tenantId)).toEqual([
      "lagos",
    ]);
  });

  it("runs nobody with every toggle off (the default) or a broken connection, and honours the interval", () => {
    expect(dueRuns([tenant("default", {})], new Date("2026-11-25T03:00:00Z"), 15)).toEqual([]);
    expect(
      dueRuns(
        [tenant("broken", { schedule: { customers: true, launchTime: "03:00" } }, false)],
        new Date("2026-11-25T03:00:00Z"),
        15,
      ),
    ).toEqual([]);
    const frequent = tenant("frequent", { schedule: { customers: true, intervalMinutes: 30, launchTime: "23:59" } });
    expect(dueRuns([frequent], new Date("2026-11-25T10:30:00Z"), 15)).toHaveLength(1);
    expect(dueRuns([frequent], new Date("2026-11-25T10:45:00Z"), 15)).toHaveLength(0);
  });

  it("names the same slot for the same tick, so a repeated tick can't start a second run", () => {
    const daily = tenant("daily", { schedule: { customers: true, launchTime: "06:10" } });
    const first = dueRuns([daily], new Date("2026-11-25T06:00:00Z"), 15);
    const again = dueRuns([daily], new Date("2026-11-25T06:00:00Z"), 15);
    expect(first).toEqual(again);
    // The slot is the launch's UTC instant, whatever the local clock says twice.
    expect(first[0]!.slot).toBe("2026-11-25T06:10:00.000Z");
  });
});

describe("nextScheduledRun", () => {
  it("finds the next launch in the tenant's time zone, or none when every toggle is off", () => {
    const settings = readSettings({
      general: { timeZone: "Asia/Tokyo" },
      schedule: { launchTime: "03:00", customers: true },
    });
    expect(nextScheduledRun(settings, new Date("2026-11-25T10:00:00Z"))?.toISOString()).toBe(
      "2026-11-25T18:00:00.000Z",
    );
    expect(nextScheduledRun(readSettings({}), new Date("2026-11-25T10:00:00Z"))).toBeNull();
  });
});

describe("daily launch across daylight-saving changes", () => {
  const general = { timeZone: "Europe/London" };
  const london = tenant("london", { general, schedule: { launchTime: "01:30", customers: true } });
  /** Every tick of the UTC day that finds the tenant due, with the slot it names. */
  const dueTicksOf = (day: string) =>
    Array.from({ length: 96 }, (_, index) => new Date(Date.parse(`${day}T00:00:00Z`) + index * 900_000)).flatMap(
      (tick) => dueRuns([london], tick, 15).map((run) => ({ tick: tick.toISOString(), slot: run.slot })),
    );

  it("starts once on the autumn night 01:30 happens twice, at the earlier instant", () => {
    // 2026-10-25: London's clocks go back at 02:00 BST (01:00 UTC), so 01:30 is 00:30 UTC and again 01:30 UTC.
    expect(dueTicksOf("2026-10-25")).toEqual([{ tick: "2026-10-25T00:30:00.000Z", slot: "2026-10-25T00:30:00.000Z" }]);
  });

  it("still starts on the spring night 01:30 does not exist, just after the gap", () => {
    // 2026-03-29: London's clocks go forward at 01:00 GMT to 02:00 BST; 01:30 is read as 02:30 BST (01:30 UTC).
    expect(dueTicksOf("2026-03-29")).toEqual([{ tick: "2026-03-29T01:30:00.000Z", slot: "2026-03-29T01:30:00.000Z" }]);
  });

  it("names an interval run by its tick's instant, so the repeated autumn hour is two runs, not one twice", () => {
    const schedule = { customers: true, intervalMinutes: 60, launchTime: "23:59" };
    const hourly = tenant("hourly", { general, schedule });
    // 00:00 and 01:00 UTC are both 01:00 on London's clock that night.
    const ticks = ["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"];
    const slots = ticks.map((tick) => dueRuns([hourly], new Date(tick), 15)[0]!.slot);
    expect(slots).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T01:00:00.000Z"]);
  });
});

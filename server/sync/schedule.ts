// Which tenants are due for a scheduled run at a given tick (SPEC §3 schedule, §7), in each tenant's time zone.
import type { SyncEntity } from "@/db/schema";
import type { Settings } from "./settings";

export type ScheduleCandidate = { tenantId: string; settings: Settings; connectionsHealthy: boolean };
/** `slot` is the run's UTC instant (ISO): the same for every attempt of a tick, different for two real instants. */
export type DueRun = { tenantId: string; entities: SyncEntity[]; slot: string };

const MINUTE = 60_000;
const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of an instant in a time zone, as if that wall clock were UTC (milliseconds). */
function wallClock(instant: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    const digits = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" } as const;
    format = new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", year: "numeric", ...digits });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

const offsetAt = (instant: number, timeZone: string) => wallClock(instant, timeZone) - Math.floor(instant / 1e3) * 1e3;

/**
 * The instant a wall-clock time (given as if UTC) happens in a time zone, as Temporal's "compatible" reads it: a time
 * the autumn change repeats is its earlier instant; a time the spring change skips is read with the offset before the
 * gap, which lands as far after the gap as the time was into it.
 */
function instantOf(wall: number, timeZone: string): number {
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const valid = [wall - before, wall - after].filter((instant) => wallClock(instant, timeZone) === wall);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** The tenant-local midnight (as if UTC) of the local date an instant falls on. */
const localMidnight = (instant: number, timeZone: string) => Math.floor(wallClock(instant, timeZone) / DAY) * DAY;

/**
 * Tenants due in the tick [tick, tick + tickMinutes): the daily launch time's instant on the tenant's local date falls
 * inside it, or the optional interval divides the local minute. A launch names its slot by its instant, an interval run
 * by the tick's, so a retried tick repeats a slot and a local time that happens twice does not.
 */
export function dueRuns(candidates: ScheduleCandidate[], tick: Date, tickMinutes: number): DueRun[] {
  const start = tick.getTime();
  const end = start + tickMinutes * MINUTE;
  const due: DueRun[] = [];
  for (const { tenantId, settings, connectionsHealthy } of candidates) {
    const { schedule } = settings;
    const toggles = [
      ["customer", schedule.customers],
      ["invoice", schedule.invoices],
      ["credit_note", schedule.creditNotes],
      ["payment", schedule.payments],
      // The add-on's one payments toggle covers both directions; each runs only when its own setting is on.
      ["payment_import", schedule.payments],
    ] as const;
    const entities = toggles.filter(([, on]) => on).map(([entity]) => entity);
    if (entities.length === 0 || !connectionsHealthy) continue;
    const { timeZone } = settings.general;
    const [hours, minutes] = schedule.launchTime.split(":").map(Number) as [number, number];
    // A tick can straddle local midnight: try the launch on the local date of both its ends.
    const dates = new Set([localMidnight(start, timeZone), localMidnight(end - 1, timeZone)]);
    const launch = [...dates]
      .map((date) => instantOf(date + (hours * 60 + minutes) * MINUTE, timeZone))
      .find((instant) => start <= instant && instant < end);
    const localMinutes = (wallClock(start, timeZone) % DAY) / MINUTE;
    const onInterval = schedule.intervalMinutes !== null && localMinutes % schedule.intervalMinutes < tickMinutes;
    if (launch === undefined && !onInterval) continue;
    due.push({ tenantId, entities: [...entities], slot: new Date(launch ?? start).toISOString() });
  }
  return due;
}

/** When the tenant's next scheduled run starts, looking two days ahead; null when nothing is scheduled. */
export function nextScheduledRun(settings: Settings, now: Date, tickMinutes = 15): Date | null {
  const first = Math.floor(now.getTime() / (tickMinutes * MINUTE)) * tickMinutes * MINUTE + tickMinutes * MINUTE;
  for (let tick = first; tick < first + 2 * DAY; tick += tickMinutes * MINUTE) {
    const due = dueRuns([{ tenantId: "", settings, connectionsHealthy: true }], new Date(tick), tickMinutes);
    if (due.length > 0) return new Date(tick);
  }
  return null;
}

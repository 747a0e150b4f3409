// Which tenants are due for a scheduled run at a given minute (SPEC §3 schedule, §7), in each tenant's time zone.
import type { SyncEntity } from "@/db/schema";
import type { Settings } from "./settings";

export type ScheduleCandidate = { tenantId: string; settings: Settings; connectionsHealthy: boolean };
export type DueRun = { tenantId: string; entities: SyncEntity[]; slot: string };

/** The tenant-local date and minutes since midnight of an instant. */
function localTime(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(instant).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * Tenants due in the tick that starts at `tick` and lasts `tickMinutes`: the daily launch time falls inside it, or
 * the optional interval divides the minute. The slot names the run, so a repeated tick never starts it twice.
 */
export function dueRuns(candidates: ScheduleCandidate[], tick: Date, tickMinutes: number): DueRun[] {
  const due: DueRun[] = [];
  for (const { tenantId, settings, connectionsHealthy } of candidates) {
    const { schedule } = settings;
    const entities = ([["customer", schedule.customers], ["invoice", schedule.invoices], ["credit_note", schedule.creditNotes], ["payment", schedule.payments]] as const).filter(([, on]) => on).map(([entity]) => entity);
    if (entities.length === 0 || !connectionsHealthy) continue;
    const local = localTime(tick, settings.general.timeZone);
    const [hours, minutes] = schedule.launchTime.split(":").map(Number) as [number, number];
    const launch = hours * 60 + minutes;
    const atLaunch = local.minutes <= launch && launch < local.minutes + tickMinutes;
    const onInterval = schedule.intervalMinutes !== null && local.minutes % schedule.intervalMinutes < tickMinutes;
    const slotMinutes = Math.floor(local.minutes / tickMinutes) * tickMinutes;
    if (atLaunch || onInterval) due.push({ tenantId, entities: [...entities], slot: `${local.date}T${String(Math.floor(slotMinutes / 60)).padStart(2, "0")}:${String(slotMinutes % 60).padStart(2, "0")}` });
  }
  return due;
}

/** When the tenant's next scheduled run starts, looking two days ahead; null when nothing is scheduled. */
export function nextScheduledRun(settings: Settings, now: Date, tickMinutes = 15): Date | null {
  const first = Math.floor(now.getTime() / (tickMinutes * 60_000)) * tickMinutes * 60_000 + tickMinutes * 60_000;
  for (let tick = first; tick < first + 2 * 86_400_000; tick += tickMinutes * 60_000) {
    if (dueRuns([{ tenantId: "", settings, connectionsHealthy: true }], new Date(tick), tickMinutes).length > 0) return new Date(tick);
  }
  return null;
}

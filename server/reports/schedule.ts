// When the reconciliation report runs by itself: once a period has ended in the tenant's time zone (its day, its
// Monday-to-Sunday week, its calendar month), one report covering that period, named by it.
import type { ReconciliationSchedule } from "@/db/schema";

/** A period's name (its slot: one report per tenant and slot) and its first and last dates, inclusive. */
export type ReportPeriod = { slot: string; from: string; to: string };

const DAY_MS = 86_400_000;
const day = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/** The tenant's calendar date at an instant, as a UTC midnight; daylight saving is the zone database's business. */
function localDate(now: Date, timeZone: string): number {
  const format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!);
}

/** The ISO week of the week starting on this Monday: its Thursday's year and the week's number. */
function isoWeek(monday: number): string {
  const thursday = new Date(monday + 3 * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / (7 * DAY_MS)) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The period that ended last in the tenant's time zone, or null when the schedule is off. */
export function reconciliationPeriod(
  schedule: ReconciliationSchedule,
  now: Date,
  timeZone: string,
): ReportPeriod | null {
  if (schedule === "off") return null;
  const today = localDate(now, timeZone);
  if (schedule === "daily") {
    const yesterday = day(today - DAY_MS);
    return { slot: yesterday, from: yesterday, to: yesterday };
  }
  if (schedule === "weekly") {
    const thisMonday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
    const lastMonday = thisMonday - 7 * DAY_MS;
    return { slot: isoWeek(lastMonday), from: day(lastMonday), to: day(thisMonday - DAY_MS) };
  }
  const firstOfThisMonth = new Date(today);
  firstOfThisMonth.setUTCDate(1);
  const lastOfLastMonth = firstOfThisMonth.getTime() - DAY_MS;
  const from = `${day(lastOfLastMonth).slice(0, 8)}01`;
  return { slot: from.slice(0, 7), from, to: day(lastOfLastMonth) };
}

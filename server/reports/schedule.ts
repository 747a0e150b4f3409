// When the reconciliation report runs by itself: one report per tenant and period (day, ISO week or month, in UTC).
import type { ReconciliationSchedule } from "@/db/schema";

/** The ISO week of a UTC day: its Thursday's year and the week's number. */
function isoWeek(instant: Date): string {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  day.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The slot a scheduled report takes now, or null when the schedule is off; a slot is made once however often asked. */
export function reconciliationSlot(schedule: ReconciliationSchedule, now: Date): string | null {
  if (schedule === "off") return null;
  if (schedule === "daily") return now.toISOString().slice(0, 10);
  if (schedule === "monthly") return now.toISOString().slice(0, 7);
  return isoWeek(now);
}

// The Zoho API budget: calls today against the plan's daily quota and the reserve, and 30 days of calls and runs.
import { runsPerDay } from "@/db/queries/run-history";
import { getSettingsRow } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import { zohoUsage } from "@/db/queries/zoho-limits";
import { callsPerDay } from "@/db/queries/zoho-usage";
import { quotaReserve } from "@/server/sync/eta";
import { readSettings } from "@/server/sync/settings";
import { router, tenantProcedure } from "../init";

export const USAGE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The last `USAGE_DAYS` UTC days up to today, oldest first, as YYYY-MM-DD. */
export function lastDays(now: Date): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: USAGE_DAYS }, (_, index) =>
    new Date(today - (USAGE_DAYS - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

export const usageRouter = router({
  budget: tenantProcedure("viewer").query(async ({ ctx }) => {
    const now = new Date();
    const days = lastDays(now);
    const since = new Date(`${days[0]}T00:00:00Z`);
    const [zoho, stored, runs] = await Promise.all([
      getZohoConnection(ctx.db, { tenantId: ctx.tenant.id }),
      getSettingsRow(ctx.db, ctx.tenant.id),
      runsPerDay(ctx.db, { tenantId: ctx.tenant.id, since }),
    ]);
    const byDay = new Map(runs.map((row) => [row.day, row]));
    const runsChart = days.map((day) => byDay.get(day) ?? { day, runs: 0, created: 0, updated: 0, failed: 0 });
    const reservePercent = readSettings(stored).general.quotaReservePercent;
    const organizationId = zoho?.organizationId;
    if (!organizationId) return { organization: null, reservePercent, runs: runsChart };
    const [usage, calls] = await Promise.all([
      zohoUsage(ctx.db, organizationId, now.getTime()),
      callsPerDay(ctx.db, { organizationId, since }),
    ]);
    const callsOn = new Map(calls.map((row) => [row.day, row.calls]));
    return {
      organization: {
        id: organizationId,
        name: zoho.organizationName ?? organizationId,
        callsToday: usage.callsToday,
        dailyLimit: usage.dailyLimit,
        reserve: usage.dailyLimit === null ? null : quotaReserve(usage.dailyLimit, reservePercent),
        resetsAt: usage.resetsAt,
        calls: days.map((day) => ({ day, calls: callsOn.get(day) ?? 0 })),
      },
      reservePercent,
      runs: runsChart,
    };
  }),
});

// The reconciliation schedule: every hour, each tenant whose period (day, week or month) has no scheduled report yet
// gets one; the slot is the period's name, so a repeated tick, or several processes ticking, make it once.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { createReport, reconciliationCandidates } from "@/db/queries/reports";
import { reconciliationPeriod } from "@/server/reports/schedule";
import { readSettings } from "@/server/sync/settings";
import { inngest } from "./client";
import { reportEvent, reportRunFunction, startReport, type ReportRequested } from "./report-run";
import { startInProcessTicker } from "./ticker";

const TICK_MS = 60 * 60_000;

/** The scheduled reports this tick made (none for a tenant whose slot is taken or whose report is still going). */
export async function createDueReconciliations(db: Db, now: Date): Promise<ReportRequested[]> {
  const made: ReportRequested[] = [];
  for (const { tenantId, schedule, general } of await reconciliationCandidates(db)) {
    // The tenant's zone, read as the Settings page and the sync's schedule read it.
    const { timeZone } = readSettings({ general: general ?? {} }).general;
    const period = reconciliationPeriod(schedule, now, timeZone);
    if (!period) continue;
    const report = await createReport(db, {
      tenantId,
      kind: "reconciliation",
      trigger: "schedule",
      requestedBy: null,
      scope: { from: period.from, to: period.to },
      slot: period.slot,
    });
    if (report) made.push({ tenantId, reportId: report.id });
  }
  return made;
}

export function reportSchedulerFunctionFor(database: () => Promise<Db>) {
  const options = { id: "reconciliation-scheduler", triggers: [{ cron: "7 * * * *" }] };
  return inngest.createFunction(options, async ({ event, step }) => {
    const now = new Date(event.ts ?? Date.now());
    const made = await step.run("create-due-reports", async () => createDueReconciliations(await database(), now));
    if (made.length > 0) await step.sendEvent("make-reports", made.map(reportEvent));
    return { made: made.length };
  });
}

export const reportSchedulerFunction = reportSchedulerFunctionFor(getDb);

/** Without an Inngest server, the schedule ticks in this process every hour. */
export function startInProcessReportScheduler(db: Db): void {
  const tick = async () => {
    for (const report of await createDueReconciliations(db, new Date())) await startReport(db, report);
  };
  startInProcessTicker("Scheduled reconciliation tick", TICK_MS, tick);
}

/** The report functions Inngest serves beside the sync's. */
export const reportFunctions = [reportRunFunction, reportSchedulerFunction];

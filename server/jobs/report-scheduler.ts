// The reconciliation schedule: every hour, each tenant whose period (day, week or month) has no scheduled report yet
// gets one; the slot is the period's name, so a repeated tick, or several processes ticking, make it once.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { createReport, reconciliationCandidates } from "@/db/queries/reports";
import { reconciliationSlot } from "@/server/reports/schedule";
import { inngest, inngestConfigured } from "./client";
import { reportEvent, reportRunFunction, startReport, type ReportRequested } from "./report-run";

const TICK_MS = 60 * 60_000;

/** The scheduled reports this tick made (none for a tenant whose slot is taken or whose report is still going). */
export async function createDueReconciliations(db: Db, now: Date): Promise<ReportRequested[]> {
  const made: ReportRequested[] = [];
  for (const { tenantId, schedule } of await reconciliationCandidates(db)) {
    const slot = reconciliationSlot(schedule, now);
    if (!slot) continue;
    const report = await createReport(db, {
      tenantId,
      kind: "reconciliation",
      trigger: "schedule",
      requestedBy: null,
      scope: { from: null, to: null },
      slot,
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

type Holder = { ledgerlinkReportTicker?: NodeJS.Timeout };
const holder = globalThis as Holder;

/** Without an Inngest server, the schedule ticks in this process every hour. */
export function startInProcessReportScheduler(db: Db): void {
  if (inngestConfigured() || holder.ledgerlinkReportTicker) return;
  const tick = async () => {
    for (const report of await createDueReconciliations(db, new Date())) await startReport(db, report);
  };
  holder.ledgerlinkReportTicker = setInterval(
    () => void tick().catch((error: unknown) => console.error("Scheduled reconciliation tick failed:", error)),
    TICK_MS,
  );
  holder.ledgerlinkReportTicker.unref();
}

/** The report functions Inngest serves beside the sync's. */
export const reportFunctions = [reportRunFunction, reportSchedulerFunction];

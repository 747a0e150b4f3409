// The report function: makes one stored report (preview or reconciliation) for one tenant, through Inngest when a
// server is configured, else in this process; either way the same handler, and a report that fails ends with why.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { finishReport } from "@/db/queries/reports";
import { ExternalServiceError } from "@/server/errors";
import { makeReport } from "@/server/reports/make";
import { inngest, inngestConfigured } from "./client";

export const REPORT_REQUESTED = "ledgerlink/report.requested";
export type ReportRequested = { tenantId: string; reportId: string };

/** The event that makes a report; its id is the report's, so sending it again makes nothing twice. */
export const reportEvent = (report: ReportRequested) => ({
  id: `report-${report.reportId}`,
  name: REPORT_REQUESTED,
  data: report satisfies ReportRequested,
});

type Holder = { ledgerlinkReports?: Map<string, Promise<unknown>> };
const holder = globalThis as Holder;
holder.ledgerlinkReports ??= new Map();
const making = holder.ledgerlinkReports;

/** Sends the report to its worker: Inngest's, or this process (embedded default, tests). */
export async function startReport(db: Db, report: ReportRequested): Promise<void> {
  if (inngestConfigured()) {
    try {
      await inngest.send(reportEvent(report));
    } catch (error) {
      const message = `The report could not be started: Inngest did not accept its event (${error instanceof Error ? error.message : String(error)}). Try again.`;
      await finishReport(db, { ...report, status: "failed", error: message });
      throw new ExternalServiceError(message);
    }
    return;
  }
  // makeReport ends the report itself on any failure; what is left (the database gone) is logged, never unhandled.
  const work = makeReport(db, report)
    .catch((error: unknown) => console.error(`Report ${report.reportId} could not be ended:`, error))
    .finally(() => making.delete(report.reportId));
  making.set(report.reportId, work);
}

export function reportRunFunctionFor(database: () => Promise<Db>) {
  return inngest.createFunction(
    {
      id: "report-run",
      // One report at a time per tenant: a report reads the same Zoho organization as the tenant's runs.
      concurrency: { key: "event.data.tenantId", limit: 1 },
      retries: 2,
      triggers: [{ event: REPORT_REQUESTED }],
      onFailure: async ({ event, error }) => {
        const report = event.data.event.data as ReportRequested;
        const message = `The report stopped after its retries ran out: ${error.message}`;
        await finishReport(await database(), { ...report, status: "failed", error: message });
      },
    },
    async ({ event, step }) =>
      step.run("make", async () => makeReport(await database(), event.data as ReportRequested)),
  );
}

export const reportRunFunction = reportRunFunctionFor(getDb);

// What the preview and reconciliation routers share: a report's start, its latest state, and its lines, per tenant.
import { z } from "zod";
import type { Db } from "@/db/client";
import { createReport, getReport, latestReports, listReportRows } from "@/db/queries/reports";
import { getZohoConnection } from "@/db/queries/zoho";
import type { ReportKind, ReportScope } from "@/db/schema";
import { DomainError } from "@/server/errors";
import { startReport } from "@/server/jobs/report-run";
import { tenantProcedure } from "../init";

const NOUN: Record<ReportKind, string> = { preview: "preview", reconciliation: "reconciliation report" };

/** Creates the report and hands it to its worker; refused while one of its kind is being made. */
export async function startReportFor(
  db: Db,
  input: { tenantId: string; kind: ReportKind; personId: string; scope: ReportScope },
) {
  const zoho = await getZohoConnection(db, { tenantId: input.tenantId });
  if (!zoho?.organizationId)
    throw new DomainError("BAD_REQUEST", "Connect Zoho Books and choose the organization first (Connections).");
  const report = await createReport(db, {
    tenantId: input.tenantId,
    kind: input.kind,
    trigger: "manual",
    requestedBy: input.personId,
    scope: input.scope,
  });
  if (!report) throw new DomainError("CONFLICT", `A ${NOUN[input.kind]} is being made already; wait for it to finish.`);
  await startReport(db, { tenantId: input.tenantId, reportId: report.id });
  return { reportId: report.id };
}

/** The latest reports of the kind (the newest first), for the page's status and history. */
export const latestProcedure = (kind: ReportKind) =>
  tenantProcedure("viewer").query(async ({ ctx }) =>
    latestReports(ctx.db, { tenantId: ctx.tenant.id, kind, limit: 5 }),
  );

const reportInput = z.object({ reportId: z.string().uuid("Not a report id") });

async function ownReport(db: Db, tenantId: string, reportId: string, kind: ReportKind) {
  const report = await getReport(db, { tenantId, reportId });
  if (!report || report.kind !== kind) throw new DomainError("NOT_FOUND", "Report not found.");
  return report;
}

export const getProcedure = (kind: ReportKind) =>
  tenantProcedure("viewer")
    .input(reportInput)
    .query(async ({ ctx, input }) => ownReport(ctx.db, ctx.tenant.id, input.reportId, kind));

/** A page of the report's lines, optionally of chosen actions, in keyset order. */
export const rowsProcedure = (kind: ReportKind, actions: readonly [string, ...string[]]) =>
  tenantProcedure("viewer")
    .input(
      reportInput.extend({
        actions: z.array(z.enum(actions)).max(actions.length).optional(),
        cursor: z.number().int().positive().nullish(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      await ownReport(ctx.db, ctx.tenant.id, input.reportId, kind);
      return listReportRows(ctx.db, {
        tenantId: ctx.tenant.id,
        reportId: input.reportId,
        actions: input.actions,
        after: input.cursor,
        limit: input.limit,
      });
    });

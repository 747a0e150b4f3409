// The reconciliation report (SPEC §8): start one for a period, follow it, read its mismatches and customer totals, and
// choose how often it runs by itself; the dashboard's count of mismatches.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { latestSucceeded, reconciliationSchedule, saveReconciliationSchedule } from "@/db/queries/reports";
import { RECONCILIATION_SCHEDULES } from "@/db/schema";
import { CUSTOMER_ACTIONS, MISMATCH_KINDS, type ReconciliationSummary } from "@/server/reconciliation/reconcile";
import { router, tenantProcedure } from "../init";
import { getProcedure, latestProcedure, rowsProcedure, startReportFor } from "./report-procedures";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(value)), "Not a date")
  .nullish();

export const reconciliationRouter = router({
  start: tenantProcedure("admin")
    .input(
      z.object({ from: day, to: day }).refine((period) => !period.from || !period.to || period.from <= period.to, {
        message: "The end is before the start",
        path: ["to"],
      }),
    )
    .mutation(async ({ ctx, input }) =>
      startReportFor(ctx.db, {
        tenantId: ctx.tenant.id,
        kind: "reconciliation",
        personId: ctx.person.id,
        scope: { from: input.from ?? null, to: input.to ?? null },
      }),
    ),
  latest: latestProcedure("reconciliation"),
  get: getProcedure("reconciliation"),
  rows: rowsProcedure("reconciliation", [...MISMATCH_KINDS, ...CUSTOMER_ACTIONS]),

  /** For the dashboard: the mismatches the latest finished report found, or null before the first. */
  mismatches: tenantProcedure("viewer").query(async ({ ctx }) => {
    const report = await latestSucceeded(ctx.db, { tenantId: ctx.tenant.id, kind: "reconciliation" });
    if (!report?.summary) return null;
    const counts = (report.summary as ReconciliationSummary).mismatches;
    const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
    return { reportId: report.id, total, finishedAt: report.finishedAt };
  }),

  schedule: tenantProcedure("viewer").query(async ({ ctx }) => reconciliationSchedule(ctx.db, ctx.tenant.id)),
  setSchedule: tenantProcedure("admin")
    .input(z.object({ schedule: z.enum(RECONCILIATION_SCHEDULES) }))
    .mutation(async ({ ctx, input }) => {
      const before = await reconciliationSchedule(ctx.db, ctx.tenant.id);
      await ctx.db.transaction(async (tx) => {
        await saveReconciliationSchedule(tx, { tenantId: ctx.tenant.id, reconciliation: input.schedule });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "settings.save",
          details: { "reconciliation.schedule": { before, after: input.schedule } },
        });
      });
      return input.schedule;
    }),
});

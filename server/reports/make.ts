// Makes a stored report of either kind for one tenant: the worker's part, the same under Inngest and in process.
import type { Db } from "@/db/client";
import { addReportRows, claimReport, finishReport, reportProgress, type Report } from "@/db/queries/reports";
import { syncContextFor } from "@/server/sync/context";
import type { SyncContext } from "@/server/sync/entity";
import { readOnlyBooks } from "@/server/preview/read-only";
import {
  countPreviewed,
  PREVIEW_ENTITIES,
  previewEntities,
  type PreviewEntity,
  type PreviewRow,
} from "@/server/preview/preview";
import { dropStaleShadows, openShadow } from "@/server/preview/shadow";
import { reconcile } from "@/server/reconciliation/reconcile";

/** Progress is written at most this often, so a big tenant's report spends its time on the report. */
const PROGRESS_EVERY_MS = 1_000;

function progressWriter(db: Db, report: Report, context: SyncContext, total: number | null) {
  let last = 0;
  return async (step: string, done: number, force = false) => {
    if (!force && Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    const ids = { tenantId: report.tenantId, reportId: report.id };
    await reportProgress(db, { ...ids, done, total, step, zohoCalls: context.books.calls });
  };
}

async function makePreview(db: Db, report: Report, context: SyncContext) {
  const entities = (report.scope.entities ?? PREVIEW_ENTITIES).filter((entity): entity is PreviewEntity =>
    (PREVIEW_ENTITIES as readonly string[]).includes(entity),
  );
  const total = await countPreviewed(context, entities);
  const progress = progressWriter(db, report, context, total);
  const counts: Record<string, Record<string, number>> = {};
  const done = new Map<PreviewEntity, number>();
  const sum = () => [...done.values()].reduce((all, records) => all + records, 0);
  await dropStaleShadows(db);
  const shadow = await openShadow(db, report.tenantId);
  try {
    await previewEntities({ ...context, tenantId: shadow.tenantId }, entities, {
      async rows(rows: PreviewRow[]) {
        // Counted as the run counts: a record needed first (an invoice's customer) with the page that needed it.
        for (const row of rows) {
          const entity = row.neededBy ?? row.entity;
          counts[entity] ??= {};
          counts[entity]![row.action] = (counts[entity]![row.action] ?? 0) + 1;
        }
        const stored = rows.map(({ neededBy, ...row }) => ({
          ...row,
          details: neededBy ? { neededBy } : null,
        }));
        await addReportRows(db, { tenantId: report.tenantId, reportId: report.id, rows: stored });
      },
      async progress(entity, records) {
        done.set(entity, records);
        await progress(entity, sum());
      },
    });
  } finally {
    await shadow.drop();
  }
  return { entities, counts };
}

async function makeReconciliation(db: Db, report: Report, context: SyncContext) {
  const progress = progressWriter(db, report, context, null);
  const scope = { from: report.scope.from ?? null, to: report.scope.to ?? null };
  const { rows, summary } = await reconcile(context, scope, (step, done) => progress(step, done));
  for (let start = 0; start < rows.length; start += 500)
    await addReportRows(db, { tenantId: report.tenantId, reportId: report.id, rows: rows.slice(start, start + 500) });
  return summary;
}

/** Claims the report and makes it; a failure ends it with the reason. Returns its final status. */
export async function makeReport(db: Db, input: { tenantId: string; reportId: string }) {
  const report = await claimReport(db, input);
  if (!report) return "not running";
  let context: SyncContext | undefined;
  try {
    context = await syncContextFor(db, { tenantId: input.tenantId, runId: input.reportId });
    readOnlyBooks(context.books);
    const summary =
      report.kind === "preview"
        ? await makePreview(db, report, context)
        : await makeReconciliation(db, report, context);
    await finishReport(db, { ...input, status: "succeeded", summary, zohoCalls: context.books.calls });
    return "succeeded";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await finishReport(db, { ...input, status: "failed", error: message, zohoCalls: context?.books.calls });
    return "failed";
  }
}

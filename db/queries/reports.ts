// Reports (preview and reconciliation, SPEC §8): the report, its progress and lines, always within one tenant.
import { and, between, desc, eq, gt, lt, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import {
  reportRows,
  reportSchedules,
  reports,
  splynxConnections,
  syncLinks,
  tenantSettings,
  zohoConnections,
  type ReconciliationSchedule,
  type ReportKind,
  type ReportScope,
  type SyncEntity,
} from "../schema";

export type Report = typeof reports.$inferSelect;
export type ReportRow = typeof reportRows.$inferSelect;
export type ReportRowInput = Omit<typeof reportRows.$inferInsert, "id" | "tenantId" | "reportId">;

/** A worker renews this while it works; a report whose lease lapsed (a dead worker) is ended as lost. */
export const REPORT_LEASE_MS = 2 * 60_000;
const isActive = sql`${reports.status} in ('queued', 'running')`;
const ofReport = (input: { tenantId: string; reportId: string }) =>
  and(eq(reports.tenantId, input.tenantId), eq(reports.id, input.reportId));
const lease = () => sql`now() + ${`${REPORT_LEASE_MS} milliseconds`}::interval`;

/** The tenant's reports of this kind whose worker stopped renewing its lease end as failed, so none blocks the next. */
async function endLapsed(db: Db, input: { tenantId: string; kind: ReportKind }) {
  await db
    .update(reports)
    .set({
      status: "failed",
      error: "Worker lost: the worker making this report stopped (it crashed or was stopped). Start it again.",
      finishedAt: new Date(),
    })
    .where(
      and(
        eq(reports.tenantId, input.tenantId),
        eq(reports.kind, input.kind),
        isActive,
        lt(reports.leaseUntil, sql`now()`),
      ),
    );
}

/** A new queued report, or null while another of its kind is queued or running for the tenant (or its slot is taken). */
export async function createReport(
  db: Db,
  input: {
    tenantId: string;
    kind: ReportKind;
    trigger: "manual" | "schedule";
    requestedBy: string | null;
    scope: ReportScope;
    slot?: string;
  },
): Promise<Report | null> {
  await endLapsed(db, input);
  const [report] = await db
    .insert(reports)
    .values({ ...input, leaseUntil: lease() })
    .onConflictDoNothing()
    .returning();
  return report ?? null;
}

export async function getReport(db: Db, input: { tenantId: string; reportId: string }) {
  const [report] = await db.select().from(reports).where(ofReport(input));
  return report;
}

export async function latestReports(db: Db, input: { tenantId: string; kind: ReportKind; limit: number }) {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.tenantId, input.tenantId), eq(reports.kind, input.kind)))
    .orderBy(desc(reports.createdAt))
    .limit(input.limit);
}

/** The latest report of the kind that finished well, for the dashboard. */
export async function latestSucceeded(db: Db, input: { tenantId: string; kind: ReportKind }) {
  const [report] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.tenantId, input.tenantId), eq(reports.kind, input.kind), eq(reports.status, "succeeded")))
    .orderBy(desc(reports.createdAt))
    .limit(1);
  return report;
}

/** A worker takes the report: running, its earlier lines (of an attempt that died) gone. Null when it ended meanwhile. */
export async function claimReport(db: Db, input: { tenantId: string; reportId: string }) {
  const [report] = await db
    .update(reports)
    .set({ status: "running", leaseUntil: lease(), progress: { done: 0, total: null, step: "starting" } })
    .where(and(ofReport(input), isActive))
    .returning();
  if (report)
    await db
      .delete(reportRows)
      .where(and(eq(reportRows.tenantId, input.tenantId), eq(reportRows.reportId, input.reportId)));
  return report ?? null;
}

/** Progress while the report runs; renews its lease. */
export async function reportProgress(
  db: Db,
  input: { tenantId: string; reportId: string; done: number; total: number | null; step: string; zohoCalls: number },
) {
  await db
    .update(reports)
    .set({
      progress: { done: input.done, total: input.total, step: input.step },
      zohoCalls: input.zohoCalls,
      leaseUntil: lease(),
    })
    .where(and(ofReport(input), isActive));
}

export async function addReportRows(db: Db, input: { tenantId: string; reportId: string; rows: ReportRowInput[] }) {
  if (input.rows.length === 0) return;
  await db
    .insert(reportRows)
    .values(input.rows.map((row) => ({ ...row, tenantId: input.tenantId, reportId: input.reportId })));
}

export async function finishReport(
  db: Db,
  input: {
    tenantId: string;
    reportId: string;
    status: "succeeded" | "failed";
    summary?: Record<string, unknown>;
    zohoCalls?: number;
    error?: string;
  },
) {
  const ended = await db
    .update(reports)
    .set({
      status: input.status,
      summary: input.summary ?? null,
      ...(input.zohoCalls !== undefined ? { zohoCalls: input.zohoCalls } : {}),
      error: input.error ?? null,
      finishedAt: new Date(),
      leaseUntil: null,
      progress: sql`jsonb_set(${reports.progress}, '{step}', to_jsonb(${input.status}::text))`,
    })
    .where(and(ofReport(input), isActive))
    .returning({ id: reports.id });
  return ended.length > 0;
}

/**
 * A page of a report's lines in keyset order, optionally of some actions: each action's page read through its own
 * index (tenant, report, action, id), then merged. The report and action are bounded as ranges of one value, so the
 * planner sees the order it needs as (report, action, id), which only these indexes give: with `=` it drops them from
 * the order and may walk the primary key past other reports' lines, and past the actions not asked for.
 */
export async function listReportRows(
  db: Db,
  input: { tenantId: string; reportId: string; actions?: string[]; after?: number | null; limit: number },
) {
  const pageOf = (action?: string) =>
    db
      .select()
      .from(reportRows)
      .where(
        and(
          eq(reportRows.tenantId, input.tenantId),
          between(reportRows.reportId, input.reportId, input.reportId),
          action ? between(reportRows.action, action, action) : undefined,
          input.after ? gt(reportRows.id, input.after) : undefined,
        ),
      )
      .orderBy(
        ...(action ? [reportRows.reportId, reportRows.action, reportRows.id] : [reportRows.reportId, reportRows.id]),
      )
      .limit(input.limit + 1);
  const [first, second, ...others] = input.actions?.length ? input.actions.map(pageOf) : [pageOf()];
  const rows = second
    ? await unionAll(first!, second, ...others)
        .orderBy(sql`id`)
        .limit(input.limit + 1)
    : await first!;
  return { rows: rows.slice(0, input.limit), nextCursor: rows.length > input.limit ? rows[input.limit - 1]!.id : null };
}

/** Every link of an entity with what reconciliation compares: where its Zoho record is, and its state. */
export async function linksOfEntity(db: Db, input: { tenantId: string; entity: SyncEntity }) {
  return db
    .select({
      splynxId: syncLinks.splynxId,
      zohoId: syncLinks.zohoId,
      organizationId: syncLinks.organizationId,
      state: syncLinks.state,
      message: syncLinks.message,
      fingerprint: syncLinks.fingerprint,
    })
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, input.tenantId), eq(syncLinks.entity, input.entity)));
}

export async function reconciliationSchedule(db: Db, tenantId: string): Promise<ReconciliationSchedule> {
  const [row] = await db.select().from(reportSchedules).where(eq(reportSchedules.tenantId, tenantId));
  return row?.reconciliation ?? "weekly";
}

export async function saveReconciliationSchedule(
  db: Db,
  input: { tenantId: string; reconciliation: ReconciliationSchedule },
) {
  const values = { ...input, updatedAt: new Date() };
  await db.insert(reportSchedules).values(values).onConflictDoUpdate({ target: reportSchedules.tenantId, set: values });
}

/** Whether Zoho refused a customer's name as taken (code 3062): the organization does not allow duplicate names. */
export async function refusedDuplicateName(db: Db, tenantId: string): Promise<boolean> {
  const [row] = await db
    .select({ splynxId: syncLinks.splynxId })
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, tenantId),
        eq(syncLinks.entity, "customer"),
        eq(syncLinks.state, "failed"),
        sql`${syncLinks.message} ilike '%already exists%'`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * Tenants whose reconciliation runs by itself: a schedule other than off, and both connections healthy; with their
 * general settings as stored, whose time zone bounds the periods.
 */
export async function reconciliationCandidates(db: Db) {
  const rows = await db
    .select({
      tenantId: zohoConnections.tenantId,
      schedule: reportSchedules.reconciliation,
      general: sql<unknown>`${tenantSettings.values} -> 'general'`,
    })
    .from(zohoConnections)
    .innerJoin(splynxConnections, eq(splynxConnections.tenantId, zohoConnections.tenantId))
    .leftJoin(reportSchedules, eq(reportSchedules.tenantId, zohoConnections.tenantId))
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, zohoConnections.tenantId))
    .where(and(eq(zohoConnections.state, "connected"), sql`${zohoConnections.organizationId} is not null`));
  return rows.map((row) => ({
    tenantId: row.tenantId,
    schedule: row.schedule ?? ("weekly" as const),
    general: row.general,
  }));
}

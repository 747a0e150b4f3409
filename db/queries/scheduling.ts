// The scheduler's queries over every tenant at once: schedules grouped so each is read once, and a tick's runs made
// in a few statements however many tenants are due (each batch travels as one JSON parameter).
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "../rows";
import { splynxConnections, tenantSettings, zohoConnections, type RunStatus } from "../schema";
import { RUN_PICKUP_MS, type NewRun } from "./runs";

/** Runs per statement: each statement stays short, so no tick holds its locks for long. */
const BATCH = 1_000;

export type ScheduleGroup = { timeZone: unknown; schedule: unknown; tenantIds: string[] };

/**
 * Tenants that can run on a schedule (Splynx connected, Zoho connected with an organization: one that needs
 * reconnecting is paused), grouped by their stored time zone and schedule, which alone decide whether a tenant is due.
 */
export async function scheduleGroups(db: Db): Promise<ScheduleGroup[]> {
  const timeZone = sql`${tenantSettings.values} -> 'general' -> 'timeZone'`;
  const schedule = sql`${tenantSettings.values} -> 'schedule'`;
  return db
    .select({
      timeZone: sql<unknown>`${timeZone}`,
      schedule: sql<unknown>`${schedule}`,
      tenantIds: sql<string[]>`array_agg(${zohoConnections.tenantId}::text order by ${zohoConnections.tenantId})`,
    })
    .from(zohoConnections)
    .innerJoin(splynxConnections, eq(splynxConnections.tenantId, zohoConnections.tenantId))
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, zohoConnections.tenantId))
    .where(and(eq(zohoConnections.state, "connected"), isNotNull(zohoConnections.organizationId)))
    .groupBy(timeZone, schedule);
}

export type SlotRun = NewRun & { slot: string };
export type SlotRunRef = { id: string; tenantId: string; slot: string; status: RunStatus };

const asJson = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;
const keyOf = (run: { tenantId: string; slot: string }) => `${run.tenantId} ${run.slot}`;

/** Makes the batch's runs; a slot whose tenant already has that slot's run or another active run is left out. */
function insertRuns(db: Db, batch: SlotRun[]) {
  const rows = batch.map((run, position) => ({
    position,
    tenant_id: run.tenantId,
    trigger: run.trigger,
    requested_by: run.requestedBy,
    entities: run.entities,
    only_splynx_ids: run.onlySplynxIds ?? null,
    payments_import_mode: run.paymentsImportMode ?? "new",
    slot: run.slot,
  }));
  return rowsOf<SlotRunRef>(
    db,
    sql`insert into sync_runs
        (tenant_id, trigger, requested_by, entities, only_splynx_ids, payments_import_mode, slot, lease_until)
      select tenant_id, trigger, requested_by, entities, only_splynx_ids, payments_import_mode, slot,
        now() + ${`${RUN_PICKUP_MS} milliseconds`}::interval
      from jsonb_to_recordset(${asJson(rows)}) as wanted(position int, tenant_id uuid, trigger text,
        requested_by uuid, entities text[], only_splynx_ids text[], payments_import_mode text, slot text)
      order by position
      on conflict do nothing
      returning id, tenant_id as "tenantId", slot, status`,
  );
}

/** The runs the batch's slots already have: the same tick, retried. */
function runsOfSlots(db: Db, batch: SlotRun[]) {
  const wanted = batch.map((run) => ({ tenant_id: run.tenantId, slot: run.slot }));
  return rowsOf<SlotRunRef>(
    db,
    sql`select id, tenant_id as "tenantId", slot, status from sync_runs
      join jsonb_to_recordset(${asJson(wanted)}) as wanted(tenant_id uuid, slot text) using (tenant_id, slot)`,
  );
}

/** The queued or running run of each of these tenants. */
function activeRuns(db: Db, tenantIds: string[]) {
  return rowsOf<{ id: string; tenantId: string; status: RunStatus }>(
    db,
    sql`select id, tenant_id as "tenantId", status from sync_runs
      where tenant_id in (select jsonb_array_elements_text(${asJson(tenantIds)})::uuid)
        and status in ('queued', 'running')`,
  );
}

/**
 * Each slot's run, made or found again (a retried tick); `busy` are the slots whose tenant has another run queued or
 * running, with that run. Of two slots of one tenant in one call, the first is made.
 */
export async function createSlotRuns(db: Db, slots: SlotRun[]) {
  const runs: SlotRunRef[] = [];
  const busy: (SlotRun & { active?: { id: string; status: RunStatus } })[] = [];
  for (let start = 0; start < slots.length; start += BATCH) {
    const batch = slots.slice(start, start + BATCH);
    const made = await insertRuns(db, batch);
    const madeKeys = new Set(made.map(keyOf));
    const left = batch.filter((slot) => !madeKeys.has(keyOf(slot)));
    const found = left.length > 0 ? await runsOfSlots(db, left) : [];
    const foundKeys = new Set(found.map(keyOf));
    const refused = left.filter((slot) => !foundKeys.has(keyOf(slot)));
    const active =
      refused.length > 0
        ? await activeRuns(
            db,
            refused.map((slot) => slot.tenantId),
          )
        : [];
    const activeOf = new Map(active.map((run) => [run.tenantId, run]));
    runs.push(...made, ...found);
    busy.push(...refused.map((slot) => ({ ...slot, active: activeOf.get(slot.tenantId) })));
  }
  return { runs, busy };
}

/** Paused runs whose continuation started are resumed once: they lose their resume time. */
export async function markRunsResumed(db: Db, paused: { tenantId: string; runId: string }[]): Promise<void> {
  for (let start = 0; start < paused.length; start += BATCH) {
    const batch = paused.slice(start, start + BATCH).map((run) => ({ tenant_id: run.tenantId, id: run.runId }));
    await db.execute(
      sql`update sync_runs set resume_at = null from jsonb_to_recordset(${asJson(batch)}) as resumed(tenant_id uuid, id uuid)
        where sync_runs.tenant_id = resumed.tenant_id and sync_runs.id = resumed.id and sync_runs.status = 'paused'`,
    );
  }
}

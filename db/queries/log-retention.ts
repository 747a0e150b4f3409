// Sync-log retention: runs older than their tenant's retention, deleted with their entries in short statements.
import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "../rows";

export type ExpiredRun = { tenantId: string; runId: string };

/**
 * Up to `limit` ended runs that started more than the tenant's `general.logRetentionDays` before `now` (the default when
 * the tenant stored none). A paused run still waiting to resume is kept. Read tenant by tenant through the runs' index.
 */
export function expiredRuns(db: Db, input: { now: Date; defaultDays: number; limit: number }) {
  return rowsOf<ExpiredRun>(
    db,
    sql`select tenants.id as "tenantId", expired.id as "runId"
      from tenants
      left join tenant_settings on tenant_settings.tenant_id = tenants.id
      cross join lateral (
        select id from sync_runs
        where sync_runs.tenant_id = tenants.id
          and sync_runs.created_at < ${input.now.toISOString()}::timestamptz - make_interval(days =>
            coalesce((tenant_settings.values -> 'general' ->> 'logRetentionDays')::int, ${input.defaultDays}::int))
          and sync_runs.status not in ('queued', 'running')
          and (sync_runs.status <> 'paused' or sync_runs.resume_at is null)
        limit ${input.limit}::int
      ) as expired
      limit ${input.limit}::int`,
  );
}

const asJson = (runs: ExpiredRun[]) =>
  sql`${JSON.stringify(runs.map((run) => ({ tenant_id: run.tenantId, id: run.runId })))}::jsonb`;

/** Deletes up to `limit` entries of these runs; returns how many it deleted. */
export async function deleteEntriesOf(db: Db, runs: ExpiredRun[], limit: number): Promise<number> {
  const [row] = await rowsOf<{ deleted: number }>(
    db,
    sql`with doomed as (
        select entries.id from sync_run_entries as entries
        join jsonb_to_recordset(${asJson(runs)}) as expired(tenant_id uuid, id uuid)
          on entries.tenant_id = expired.tenant_id and entries.run_id = expired.id
        limit ${limit}::int
      ), deleted as (delete from sync_run_entries where id in (select id from doomed) returning 1)
      select count(*)::int as deleted from deleted`,
  );
  return row!.deleted;
}

/** Deletes those of these runs that have no entries left (so the cascade never deletes a long list in one go). */
export async function deleteEmptyRuns(db: Db, runs: ExpiredRun[]): Promise<number> {
  const [row] = await rowsOf<{ deleted: number }>(
    db,
    sql`with deleted as (
        delete from sync_runs using jsonb_to_recordset(${asJson(runs)}) as expired(tenant_id uuid, id uuid)
        where sync_runs.tenant_id = expired.tenant_id and sync_runs.id = expired.id
          and not exists (select 1 from sync_run_entries as entries
            where entries.tenant_id = sync_runs.tenant_id and entries.run_id = sync_runs.id)
        returning 1)
      select count(*)::int as deleted from deleted`,
  );
  return row!.deleted;
}

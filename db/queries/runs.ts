// Sync runs (SPEC §7, §8): created once per tenant at a time, leased by the worker that runs them, always ended.
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { people, splynxConnections, syncRuns, tenants, tenantSettings, zohoConnections, type RunCounts, type RunStatus, type SyncEntity } from "../schema";
import { DomainError } from "@/server/errors";

export async function createRun(db: Db, input: { tenantId: string; trigger: "manual" | "schedule" | "retry"; requestedBy: string | null; entities: SyncEntity[] }) {
  const [run] = await db.insert(syncRuns).values(input).onConflictDoNothing().returning();
  if (!run) throw new DomainError("CONFLICT", "A sync is already queued or running for this tenant; wait for it or cancel it.");
  return run;
}

export async function getRun(db: Db, input: { tenantId: string; runId: string }) {
  const [run] = await db.select().from(syncRuns).where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId)));
  return run;
}

export async function activeRun(db: Db, tenantId: string) {
  const [run] = await db.select().from(syncRuns).where(and(eq(syncRuns.tenantId, tenantId), inArray(syncRuns.status, ["queued", "running"])));
  return run;
}

export async function recordProgress(db: Db, input: { tenantId: string; runId: string; counts: RunCounts; zohoCalls: number; done: number; total: number | null; step: string }) {
  const add = (field: keyof RunCounts) => sql`coalesce((${syncRuns.counts}->>${field})::int, 0) + ${input.counts[field]}`;
  await db
    .update(syncRuns)
    .set({
      counts: sql`jsonb_build_object('created', ${add("created")}, 'updated', ${add("updated")}, 'unchanged', ${add("unchanged")}, 'skipped', ${add("skipped")}, 'failed', ${add("failed")}, 'held', ${add("held")})`,
      zohoCalls: sql`${syncRuns.zohoCalls} + ${input.zohoCalls}`,
      progress: { done: input.done, total: input.total, step: input.step },
      status: "running",
      startedAt: sql`coalesce(${syncRuns.startedAt}, now())`,
    })
    .where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId)));
}

export async function finishRun(db: Db, input: { tenantId: string; runId: string; status: Extract<RunStatus, "succeeded" | "failed" | "cancelled">; error?: string }) {
  await db
    .update(syncRuns)
    .set({ status: input.status, error: input.error ?? null, finishedAt: new Date(), progress: sql`jsonb_set(${syncRuns.progress}, '{step}', to_jsonb(${input.status}::text))` })
    .where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId)));
}

export async function requestCancel(db: Db, input: { tenantId: string; runId: string }) {
  const [run] = await db.update(syncRuns).set({ cancelRequested: true }).where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId), inArray(syncRuns.status, ["queued", "running"]))).returning({ id: syncRuns.id });
  if (!run) throw new DomainError("NOT_FOUND", "No running sync with this id.");
}

export async function cancelRequested(db: Db, input: { tenantId: string; runId: string }): Promise<boolean> {
  const [run] = await db.select({ cancelRequested: syncRuns.cancelRequested }).from(syncRuns).where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId)));
  return run?.cancelRequested ?? false;
}

export async function listRuns(db: Db, input: { tenantId: string; before?: Date; limit: number }) {
  const conditions: SQL[] = [eq(syncRuns.tenantId, input.tenantId)];
  if (input.before) conditions.push(lt(syncRuns.createdAt, input.before));
  const rows = await db
    .select({ run: syncRuns, requestedByEmail: people.email })
    .from(syncRuns)
    .leftJoin(people, eq(people.id, syncRuns.requestedBy))
    .where(and(...conditions))
    .orderBy(desc(syncRuns.createdAt))
    .limit(input.limit + 1);
  const runs = rows.slice(0, input.limit).map((row) => ({ ...row.run, requestedByEmail: row.requestedByEmail }));
  return { runs, nextCursor: rows.length > input.limit ? runs[input.limit - 1]!.createdAt : null };
}

export async function scheduleCandidates(db: Db) {
  const rows = await db
    .select({ tenantId: tenants.id, values: tenantSettings.values, splynx: splynxConnections.tenantId, zohoState: zohoConnections.state, organizationId: zohoConnections.organizationId })
    .from(tenants)
    .leftJoin(tenantSettings, eq(tenantSettings.tenantId, tenants.id))
    .leftJoin(splynxConnections, eq(splynxConnections.tenantId, tenants.id))
    .leftJoin(zohoConnections, eq(zohoConnections.tenantId, tenants.id));
  // A tenant whose Zoho needs reconnecting is paused until someone reconnects.
  return rows.map((row) => ({ tenantId: row.tenantId, stored: row.values, connectionsHealthy: row.splynx !== null && row.zohoState === "connected" && row.organizationId !== null }));
}

export async function lastRun(db: Db, tenantId: string) {
  const [run] = await db.select().from(syncRuns).where(eq(syncRuns.tenantId, tenantId)).orderBy(desc(syncRuns.createdAt)).limit(1);
  return run;
}

export const RUN_LEASE_MS = 3 * 60_000;

/**
 * The worker's heartbeat: renews a running run's lease and says whether a person asked to cancel it; null when the run
 * is no longer running (the sweep or a cancel ended it), so the worker must stop.
 */
export async function heartbeat(db: Db, input: { tenantId: string; runId: string }): Promise<{ cancelRequested: boolean } | null> {
  const [run] = await db
    .update(syncRuns)
    .set({ leaseUntil: sql`now() + ${`${RUN_LEASE_MS} milliseconds`}::interval` })
    .where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId), eq(syncRuns.status, "running")))
    .returning({ cancelRequested: syncRuns.cancelRequested });
  return run ?? null;
}

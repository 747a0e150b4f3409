// Links, runs and the sync log (SPEC §6, §8), always within one tenant.
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { people, splynxConnections, syncLinks, syncRunEntries, syncRuns, tenants, tenantSettings, zohoConnections, type LinkState, type RunCounts, type RunStatus, type SyncEntity } from "../schema";
import { DomainError } from "@/server/errors";

export type Link = typeof syncLinks.$inferSelect;

export async function linksFor(db: Db, input: { tenantId: string; entity: SyncEntity; splynxIds: string[] }): Promise<Map<string, Link>> {
  if (input.splynxIds.length === 0) return new Map();
  const rows = await db.select().from(syncLinks).where(and(eq(syncLinks.tenantId, input.tenantId), eq(syncLinks.entity, input.entity), inArray(syncLinks.splynxId, input.splynxIds)));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

export async function writeLink(db: Db, link: { tenantId: string; entity: SyncEntity; splynxId: string; state: LinkState; zohoId?: string | null; fingerprint?: string | null; message?: string | null; manual?: boolean; label?: string | null }) {
  const values = { ...link, updatedAt: new Date(), ...(link.state === "synced" ? { syncedAt: new Date(), message: null } : {}) };
  await db.insert(syncLinks).values(values).onConflictDoUpdate({ target: [syncLinks.tenantId, syncLinks.entity, syncLinks.splynxId], set: values });
}

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

/** Adds a page's counts and Zoho calls to the run and moves its progress on. */
export async function recordProgress(db: Db, input: { tenantId: string; runId: string; counts: RunCounts; zohoCalls: number; done: number; total: number | null; step: string }) {
  const add = (field: keyof RunCounts) => sql`(${syncRuns.counts}->>${field})::int + ${input.counts[field]}`;
  await db
    .update(syncRuns)
    .set({
      counts: sql`jsonb_build_object('created', ${add("created")}, 'updated', ${add("updated")}, 'unchanged', ${add("unchanged")}, 'skipped', ${add("skipped")}, 'failed', ${add("failed")})`,
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

export type EntryInput = { entity: SyncEntity; splynxId: string; action: (typeof syncRunEntries.$inferInsert)["action"]; message?: string | null };

export async function addEntries(db: Db, input: { tenantId: string; runId: string; entries: EntryInput[] }) {
  if (input.entries.length === 0) return;
  await db.insert(syncRunEntries).values(input.entries.map((entry) => ({ ...entry, tenantId: input.tenantId, runId: input.runId })));
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

export async function getSettingsRow(db: Db, tenantId: string) {
  const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  return row?.values;
}

/** Which of these Zoho ids some link of the tenant already holds. */
export async function linkedZohoIds(db: Db, input: { tenantId: string; entity: SyncEntity; zohoIds: string[] }): Promise<Set<string>> {
  if (input.zohoIds.length === 0) return new Set();
  const rows = await db.select({ zohoId: syncLinks.zohoId }).from(syncLinks).where(and(eq(syncLinks.tenantId, input.tenantId), eq(syncLinks.entity, input.entity), inArray(syncLinks.zohoId, input.zohoIds)));
  return new Set(rows.map((row) => row.zohoId!));
}

export async function saveSettingsRow(db: Db, input: { tenantId: string; values: Record<string, unknown> }) {
  await db.insert(tenantSettings).values({ ...input, updatedAt: new Date() }).onConflictDoUpdate({ target: tenantSettings.tenantId, set: { values: input.values, updatedAt: new Date() } });
}

/** Every tenant with its settings and whether both connections can run a sync now. */
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

export type EntryFilter = { tenantId: string; runId: string; action?: string; after?: number; limit: number };

/** A run's per-record entries in order, keyset-paged by id. */
export async function listEntries(db: Db, filter: EntryFilter) {
  const conditions: SQL[] = [eq(syncRunEntries.tenantId, filter.tenantId), eq(syncRunEntries.runId, filter.runId)];
  if (filter.action) conditions.push(eq(syncRunEntries.action, filter.action as never));
  if (filter.after !== undefined) conditions.push(sql`${syncRunEntries.id} > ${filter.after}`);
  const rows = await db.select().from(syncRunEntries).where(and(...conditions)).orderBy(syncRunEntries.id).limit(filter.limit + 1);
  return { entries: rows.slice(0, filter.limit), nextCursor: rows.length > filter.limit ? rows[filter.limit - 1]!.id : null };
}

export type LinkFilter = { tenantId: string; entity: SyncEntity; state?: LinkState; text?: string; after?: string; limit: number };

/** Records of one entity with their state, keyset-paged by Splynx id (as text, in numeric order). */
export async function listLinks(db: Db, filter: LinkFilter) {
  const conditions: SQL[] = [eq(syncLinks.tenantId, filter.tenantId), eq(syncLinks.entity, filter.entity)];
  if (filter.state) conditions.push(eq(syncLinks.state, filter.state));
  if (filter.text) conditions.push(sql`(${syncLinks.label} ilike ${`%${filter.text}%`} or ${syncLinks.splynxId} = ${filter.text} or ${syncLinks.zohoId} = ${filter.text})`);
  if (filter.after) conditions.push(sql`lpad(${syncLinks.splynxId}, 20, '0') > lpad(${filter.after}, 20, '0')`);
  const rows = await db.select().from(syncLinks).where(and(...conditions)).orderBy(sql`lpad(${syncLinks.splynxId}, 20, '0')`).limit(filter.limit + 1);
  return { links: rows.slice(0, filter.limit), nextCursor: rows.length > filter.limit ? rows[filter.limit - 1]!.splynxId : null };
}

export async function countLinks(db: Db, input: { tenantId: string; entity: SyncEntity; state: LinkState }) {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(syncLinks).where(and(eq(syncLinks.tenantId, input.tenantId), eq(syncLinks.entity, input.entity), eq(syncLinks.state, input.state)));
  return row?.count ?? 0;
}

// Sync runs (SPEC §7, §8): created once per tenant at a time, leased by the worker that runs them, always ended.
import { and, asc, desc, eq, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import {
  people,
  syncRuns,
  type PaymentsImportMode,
  type RunCounts,
  type RunStatus,
  type RunTrigger,
  type SyncEntity,
} from "../schema";
import { DomainError } from "@/server/errors";

/** How long a queued run waits for a worker before the sweep ends it; a null lease counts from creation. */
export const RUN_PICKUP_MS = 15 * 60_000;

const interval = (ms: number) => sql`${`${ms} milliseconds`}::interval`;
const isActive = inArray(syncRuns.status, ["queued", "running"]);
const leaseLapsed = sql`coalesce(${syncRuns.leaseUntil}, ${syncRuns.createdAt} + ${interval(RUN_PICKUP_MS)}) < now()`;
const ofRun = (input: { tenantId: string; runId: string }) =>
  and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.id, input.runId));

export type NewRun = {
  tenantId: string;
  trigger: RunTrigger;
  requestedBy: string | null;
  entities: SyncEntity[];
  onlySplynxIds?: string[];
  paymentsImportMode?: PaymentsImportMode;
  /** A scheduled or resumed run's slot: creating the run of a slot again returns the run it already has. */
  slot?: string;
};

/**
 * A run for the tenant, refused while another is queued or running. A run whose worker is gone does not refuse it:
 * the tenant is swept, then the start is tried once more.
 */
export async function createRun(db: Db, input: NewRun) {
  const insert = async () => {
    const leaseUntil = sql`now() + ${interval(RUN_PICKUP_MS)}`;
    const [run] = await db
      .insert(syncRuns)
      .values({ ...input, leaseUntil })
      .onConflictDoNothing()
      .returning();
    return run ?? (input.slot ? await runOfSlot(db, { tenantId: input.tenantId, slot: input.slot }) : undefined);
  };
  const run = (await insert()) ?? ((await sweepLapsedRuns(db, input)).length > 0 ? await insert() : undefined);
  if (run) return run;
  throw new DomainError("CONFLICT", "A sync is already queued or running for this tenant; wait for it or cancel it.");
}

async function runOfSlot(db: Db, input: { tenantId: string; slot: string }) {
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, input.tenantId), eq(syncRuns.slot, input.slot)));
  return run;
}

export async function getRun(db: Db, input: { tenantId: string; runId: string }) {
  const [run] = await db.select().from(syncRuns).where(ofRun(input));
  return run;
}

export async function activeRun(db: Db, tenantId: string) {
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, tenantId), isActive));
  return run;
}

/**
 * A worker takes the run: running, with a fresh lease. Null when the run has ended meanwhile (cancelled before any
 * worker came, or swept), so the worker does nothing.
 */
export async function claimRun(db: Db, input: { tenantId: string; runId: string }) {
  const [run] = await db
    .update(syncRuns)
    .set({
      status: "running",
      startedAt: sql`coalesce(${syncRuns.startedAt}, now())`,
      leaseUntil: sql`now() + ${interval(RUN_LEASE_MS)}`,
    })
    .where(and(ofRun(input), isActive))
    .returning();
  return run ?? null;
}

/** Adds a page's counts and calls (kept even when the run ended meanwhile) and, while it runs, its progress. */
export async function recordProgress(
  db: Db,
  input: {
    tenantId: string;
    runId: string;
    counts: RunCounts;
    zohoCalls: number;
    done: number;
    total: number | null;
    step: string;
  },
) {
  const add = (field: keyof RunCounts) =>
    sql`coalesce((${syncRuns.counts}->>${field})::int, 0) + ${input.counts[field]}`;
  const progress = { done: input.done, total: input.total, step: input.step };
  await db
    .update(syncRuns)
    .set({
      counts: sql`jsonb_build_object('created', ${add("created")}, 'updated', ${add("updated")}, 'unchanged', ${add("unchanged")}, 'skipped', ${add("skipped")}, 'failed', ${add("failed")}, 'held', ${add("held")})`,
      zohoCalls: sql`${syncRuns.zohoCalls} + ${input.zohoCalls}`,
      progress: sql`case when ${isActive} then ${JSON.stringify(progress)}::jsonb else ${syncRuns.progress} end`,
    })
    .where(ofRun(input));
}

export type RunEnd = Extract<RunStatus, "succeeded" | "failed" | "cancelled" | "paused">;

/** Ends a run that is still queued or running; false when something else ended it first (that outcome stands). */
export async function finishRun(
  db: Db,
  input: { tenantId: string; runId: string; status: RunEnd; error?: string; resumeAt?: Date },
) {
  const ended = await db
    .update(syncRuns)
    .set({
      status: input.status,
      error: input.error ?? null,
      resumeAt: input.status === "paused" ? (input.resumeAt ?? null) : null,
      finishedAt: new Date(),
      progress: sql`jsonb_set(${syncRuns.progress}, '{step}', to_jsonb(${input.status}::text))`,
    })
    .where(and(ofRun(input), isActive))
    .returning({ id: syncRuns.id });
  return ended.length > 0;
}

const WORKER_LOST_QUEUED =
  `Worker lost: no worker picked this run up within ${RUN_PICKUP_MS / 60_000} minutes ` +
  "(its start was never delivered). Start it again.";
const WORKER_LOST_RUNNING =
  "Worker lost: the worker running this sync stopped renewing its lease (it crashed, was stopped or lost the " +
  "database); the next run picks up the records it did not reach.";

/** Ends as failed every queued or running run whose lease lapsed (of one tenant, or all); returns the runs it ended. */
export async function sweepLapsedRuns(db: Db, input: { tenantId?: string } = {}) {
  const scope = input.tenantId ? eq(syncRuns.tenantId, input.tenantId) : undefined;
  return db
    .update(syncRuns)
    .set({
      status: "failed",
      error: sql`case when ${syncRuns.status} = 'queued' then ${WORKER_LOST_QUEUED} else ${WORKER_LOST_RUNNING} end`,
      finishedAt: new Date(),
      progress: sql`jsonb_set(${syncRuns.progress}, '{step}', '"failed"')`,
    })
    .where(and(isActive, leaseLapsed, scope))
    .returning({ id: syncRuns.id, tenantId: syncRuns.tenantId });
}

// Cancels asked in this process, so a worker here stops at its next record without reading the run; workers elsewhere
// see the stored request at their next heartbeat. Shared by every bundle of the process, as the token cache is.
const holder = globalThis as { ledgerlinkCancelsAsked?: Map<string, number> };
holder.ledgerlinkCancelsAsked ??= new Map();
const cancelsAsked = holder.ledgerlinkCancelsAsked;
const CANCEL_SIGNAL_MS = 60 * 60_000;

/** Whether a person asked, in this process, to cancel the run (a cheap check between records). */
export const cancelAskedHere = (runId: string): boolean => cancelsAsked.has(runId);

function signalCancel(runId: string, now = Date.now()) {
  for (const [asked, at] of cancelsAsked) if (at < now - CANCEL_SIGNAL_MS) cancelsAsked.delete(asked);
  cancelsAsked.set(runId, now);
}

/**
 * A person's cancel: a run no live worker holds (queued, or its lease lapsed) ends at once; a running one is asked to
 * stop and its worker does at its next heartbeat.
 */
export async function requestCancel(db: Db, input: { tenantId: string; runId: string }) {
  const noWorker = or(eq(syncRuns.status, "queued"), and(eq(syncRuns.status, "running"), leaseLapsed));
  const [ended] = await db
    .update(syncRuns)
    .set({
      status: "cancelled",
      cancelRequested: true,
      error: "Cancelled by a person.",
      finishedAt: new Date(),
      progress: sql`jsonb_set(${syncRuns.progress}, '{step}', '"cancelled"')`,
    })
    .where(and(ofRun(input), noWorker))
    .returning({ id: syncRuns.id });
  if (ended) return "cancelled" as const;
  const [asked] = await db
    .update(syncRuns)
    .set({ cancelRequested: true })
    .where(and(ofRun(input), eq(syncRuns.status, "running")))
    .returning({ id: syncRuns.id });
  if (!asked) throw new DomainError("NOT_FOUND", "No running sync with this id.");
  signalCancel(input.runId);
  return "requested" as const;
}

/** Runs paused at the quota reserve whose resume time has come, oldest first. */
export async function pausedRunsDue(db: Db, now: Date) {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.status, "paused"), lte(syncRuns.resumeAt, now)))
    .orderBy(asc(syncRuns.resumeAt));
}

/** A paused run whose continuation started is resumed once: it no longer has a resume time. */
export async function markResumed(db: Db, input: { tenantId: string; runId: string }) {
  await db
    .update(syncRuns)
    .set({ resumeAt: null })
    .where(and(ofRun(input), eq(syncRuns.status, "paused")));
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

export async function lastRun(db: Db, tenantId: string) {
  const [run] = await db
    .select()
    .from(syncRuns)
    .where(eq(syncRuns.tenantId, tenantId))
    .orderBy(desc(syncRuns.createdAt))
    .limit(1);
  return run;
}

export const RUN_LEASE_MS = 3 * 60_000;

/**
 * The worker's heartbeat: starts a queued run or renews a running run's lease, and says whether a person asked to
 * cancel it; null when the run is no longer active (the sweep or a cancel ended it), so the worker must stop.
 */
export async function heartbeat(
  db: Db,
  input: { tenantId: string; runId: string },
): Promise<{ cancelRequested: boolean } | null> {
  const run = await claimRun(db, input);
  return run && { cancelRequested: run.cancelRequested };
}

// The run function: one sync for one tenant, its entities in dependency order, in durable steps of Splynx pages (one
// at Zoho's real pace, several while records go faster); after a number of steps it continues itself with a new event,
// so no run nears Inngest's 1,000-step limit.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { claimRun, finishRun, recordProgress } from "@/db/queries/runs";
import type { PaymentsImportMode, SyncEntity } from "@/db/schema";
import { syncContextFor } from "@/server/sync/context";
import { completeRead, planReads, readBasis, type ReadPlan } from "@/server/sync/incremental";
import {
  countRecords,
  emptyCounts,
  finishEntity,
  RunStop,
  SYNC_ORDER,
  syncChosen,
  syncPage,
  syncsEntity,
  type PageProgress,
} from "@/server/sync/engine";
import { RUN_STEP, type StepLimits } from "@/server/sync/read-ahead";
import { continueEvent, inngest, SYNC_REQUESTED, type RunCursor, type SyncRequested } from "./client";

const PAGE_SIZE = 200;
/** Steps of pages per function run: with the claim, the count and the last step, far below Inngest's 1,000 steps. */
const STEPS_PER_EVENT = 200;

/** `step`: how far one step goes; one page unless said. */
export type RunOptions = { pageSize: number; stepsPerEvent: number; step?: StepLimits };
const DEFAULTS: RunOptions = { pageSize: PAGE_SIZE, stepsPerEvent: STEPS_PER_EVENT, step: RUN_STEP };

/** The part of Inngest's step tools the run uses, so the in-process dispatcher can provide it too. */
export type Steps = {
  run: <T>(id: string, work: () => Promise<T>) => Promise<T>;
  sendEvent: (id: string, event: ReturnType<typeof continueEvent>) => Promise<unknown>;
};

type Plan = {
  entities: SyncEntity[];
  onlySplynxIds: string[] | null;
  retry: boolean;
  paymentsImportMode: PaymentsImportMode;
  /** Entities read as changes since these instants (scheduled runs); the basis and start their next reads go from. */
  reads: { changedSince: ReadPlan; basis: string; startedAt: string };
};
type StepResult = { cursor: RunCursor; stopped?: RunStop["status"] };

/**
 * The next page of the cursor's entity, or pages (RUN_STEP); the engine reports its progress as it goes (every few
 * seconds). A stop ends the run here, as an outcome, not a step failure.
 */
async function syncOneStep(db: Db, data: SyncRequested, plan: Plan, cursor: RunCursor, options: RunOptions) {
  const { tenantId, runId } = data;
  const entity = plan.entities[cursor.entityIndex]!;
  const { done, total } = cursor;
  let records = 0;
  const reportProgress = async (grown: PageProgress) => {
    records += grown.records;
    const { counts, zohoCalls } = grown;
    await recordProgress(db, { tenantId, runId, counts, zohoCalls, done: done + records, total, step: entity });
  };
  try {
    // The step's entity shows as the current step while it runs, not only once it is done.
    await reportProgress({ counts: emptyCounts(), zohoCalls: 0, records: 0 });
    const { retry, paymentsImportMode } = plan;
    const { changedSince } = plan.reads;
    const input = { tenantId, runId, retry, paymentsImportMode, reportProgress, changedSince };
    const context = await syncContextFor(db, input);
    const page = plan.onlySplynxIds
      ? await syncChosen(context, entity, plan.onlySplynxIds)
      : await syncPage(context, entity, { after: cursor.after, pageSize: options.pageSize, step: options.step });
    const next = { ...cursor, handled: cursor.handled + page.records, done: done + page.records };
    if (!page.done && page.lastId !== null) return { cursor: { ...next, after: page.lastId } };
    if (!plan.onlySplynxIds) {
      await finishEntity(context, entity, next.handled);
      const { basis, startedAt } = plan.reads;
      const incremental = entity in changedSince;
      await completeRead(db, { tenantId, entity, readFrom: new Date(startedAt), incremental, basis });
    }
    return { cursor: { ...next, entityIndex: cursor.entityIndex + 1, after: 0, handled: 0 } };
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    await finishRun(db, { tenantId, runId, status: error.status, error: error.message, resumeAt: error.resumeAt });
    return { cursor, stopped: error.status };
  }
}

/** Counts what the run will handle, for its progress; an entity without an adapter counts nothing. */
async function countAll(db: Db, data: SyncRequested, plan: Plan): Promise<RunCursor> {
  const { tenantId, runId } = data;
  let total = plan.onlySplynxIds?.length ?? 0;
  if (!plan.onlySplynxIds) {
    const { changedSince } = plan.reads;
    const context = await syncContextFor(db, { tenantId, runId, retry: plan.retry, changedSince });
    for (const entity of plan.entities) total += syncsEntity(entity) ? await countRecords(context, entity) : 0;
  }
  const step = plan.entities[0]!;
  await recordProgress(db, { tenantId, runId, counts: emptyCounts(), zohoCalls: 0, done: 0, total, step });
  return { part: 0, entityIndex: 0, after: 0, handled: 0, done: 0, total };
}

/** Runs a sync, or the part of it a continuation event carries; "continued" when it handed the rest on. */
export async function runSync(db: Db, data: SyncRequested, step: Steps, options: RunOptions = DEFAULTS) {
  const { tenantId, runId } = data;
  const plan: Plan | null = await step.run("claim", async () => {
    const run = await claimRun(db, { tenantId, runId });
    if (!run) return null;
    const entities = SYNC_ORDER.filter((entity) => run.entities.includes(entity));
    const { onlySplynxIds, paymentsImportMode, trigger } = run;
    const basis = await readBasis(db, tenantId);
    const startedAt = run.startedAt ?? new Date();
    const changedSince = await planReads(db, { tenantId, trigger, basis, now: new Date() });
    const reads = { changedSince, basis, startedAt: startedAt.toISOString() };
    return { entities, onlySplynxIds, retry: trigger === "retry", paymentsImportMode, reads };
  });
  // Ended before this worker came (cancelled, or taken for lost): nothing to do.
  if (!plan) return { status: "not running" };

  let cursor = data.cursor ?? (await step.run("count", () => countAll(db, data, plan)));
  for (let stepIndex = 0; cursor.entityIndex < plan.entities.length; stepIndex++) {
    if (stepIndex === options.stepsPerEvent) {
      await step.sendEvent("continue", continueEvent(data, { ...cursor, part: cursor.part + 1 }));
      return { status: "continued" };
    }
    const at = cursor;
    const entity = plan.entities[at.entityIndex]!;
    const work = () => syncOneStep(db, data, plan, at, options);
    // Named as when a step was one page: Inngest replays a run's steps by these ids.
    const result: StepResult = await step.run(`${entity}-page-${stepIndex}`, work);
    if (result.stopped) return { status: result.stopped };
    cursor = result.cursor;
  }
  const ended = await step.run("finish", () => finishRun(db, { tenantId, runId, status: "succeeded" }));
  return { status: ended ? "succeeded" : "not running" };
}

/** The Inngest function over a database; `options` lets tests take small pages. */
export function syncRunFunctionFor(database: () => Promise<Db>, options: RunOptions = DEFAULTS) {
  return inngest.createFunction(
    {
      id: "sync-run",
      // One run at a time per tenant, whichever worker picks it up, continuation parts included.
      concurrency: { key: "event.data.tenantId", limit: 1 },
      retries: 4,
      triggers: [{ event: SYNC_REQUESTED }],
      // The function gave up after its retries: the run ends with the error instead of staying "running".
      onFailure: async ({ event, error }) => {
        const { tenantId, runId } = event.data.event.data as SyncRequested;
        const message = `The sync stopped after its retries ran out: ${error.message}`;
        await finishRun(await database(), { tenantId, runId, status: "failed", error: message });
      },
    },
    async ({ event, step }) =>
      runSync(await database(), event.data as SyncRequested, step as unknown as Steps, options),
  );
}

export const syncRunFunction = syncRunFunctionFor(getDb);

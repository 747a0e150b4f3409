// Sync-log retention: every night each tenant's runs older than its retention setting are deleted with their entries,
// a bounded batch per step and a few thousand rows per statement, so no statement holds its locks for long.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { deleteEmptyRuns, deleteEntriesOf, expiredRuns } from "@/db/queries/log-retention";
import { readSettings } from "@/server/sync/settings";
import { inngest } from "./client";
import { startInProcessTicker } from "./ticker";

/** Rows per delete statement. */
export const ENTRIES_PER_DELETE = 5_000;
/** Runs looked at per batch, and entries deleted per batch at most: a batch is one short Inngest step. */
const RUNS_PER_BATCH = 200;
const ENTRIES_PER_BATCH = 50_000;
/** Inngest allows 1,000 steps a function; what is left after these waits for the next night. */
const BATCHES_PER_NIGHT = 900;

export type PruneBatch = { runs: number; entries: number; more: boolean };

/** One batch: some expired runs' entries, then those runs whose entries are all gone; `more` when work is left. */
export async function pruneSyncLogBatch(db: Db, now: Date): Promise<PruneBatch> {
  const defaultDays = readSettings({}).general.logRetentionDays;
  const runs = await expiredRuns(db, { now, defaultDays, limit: RUNS_PER_BATCH });
  if (runs.length === 0) return { runs: 0, entries: 0, more: false };
  let entries = 0;
  for (let deleted = ENTRIES_PER_DELETE; deleted === ENTRIES_PER_DELETE && entries < ENTRIES_PER_BATCH; ) {
    deleted = await deleteEntriesOf(db, runs, ENTRIES_PER_DELETE);
    entries += deleted;
  }
  const deletedRuns = await deleteEmptyRuns(db, runs);
  return { runs: deletedRuns, entries, more: runs.length === RUNS_PER_BATCH || deletedRuns < runs.length };
}

export function logRetentionFunctionFor(database: () => Promise<Db>) {
  const options = { id: "sync-log-retention", triggers: [{ cron: "17 3 * * *" }] };
  return inngest.createFunction(options, async ({ event, step }) => {
    // The cron's own time, so a retried step prunes against the same instant.
    const now = new Date(event.ts ?? Date.now());
    const total = { runs: 0, entries: 0 };
    for (let batch = 0; batch < BATCHES_PER_NIGHT; batch++) {
      const done = await step.run("prune", async () => pruneSyncLogBatch(await database(), now));
      total.runs += done.runs;
      total.entries += done.entries;
      if (!done.more) break;
    }
    return total;
  });
}

export const logRetentionFunction = logRetentionFunctionFor(getDb);

/** Without an Inngest server, the log is pruned in this process once a day. */
export function startInProcessLogRetention(db: Db): void {
  const prune = async () => {
    for (let batch = 0; batch < BATCHES_PER_NIGHT; batch++) if (!(await pruneSyncLogBatch(db, new Date())).more) break;
  };
  startInProcessTicker("Sync log retention", 24 * 60 * 60_000, prune);
}

// Starts runs: through Inngest when a server is configured, else in this process (embedded default, tests).
// The in-process path runs the same handlers with steps executed directly; it is for one machine, not a fleet.
import type { Db } from "@/db/client";
import { createRun, finishRun, markResumed, type NewRun } from "@/db/queries/runs";
import { ExternalServiceError } from "@/server/errors";
import { inngest, inngestConfigured, startEvent, type SyncRequested } from "./client";
import { createDueRuns, floorToTick, TICK_MINUTES } from "./scheduler";
import { runSync } from "./sync-run";
import { startInProcessTicker } from "./ticker";

type Holder = { ledgerlinkRuns?: Map<string, Promise<unknown>> };
const holder = globalThis as Holder;
holder.ledgerlinkRuns ??= new Map();
const running = holder.ledgerlinkRuns;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The run and each continuation it sends, one after the other, as Inngest would deliver them. */
async function runInProcess(db: Db, first: SyncRequested) {
  for (let next: SyncRequested | undefined = first; next; ) {
    const sent: SyncRequested[] = [];
    await runSync(db, next, { run: (_id, work) => work(), sendEvent: async (_id, event) => sent.push(event.data) });
    next = sent[0];
  }
}

async function startRun(db: Db, run: { tenantId: string; runId: string }): Promise<void> {
  if (inngestConfigured()) {
    try {
      await inngest.send(startEvent(run));
    } catch (error) {
      // The run exists but no worker will ever hear of it: end it now rather than leave it queued.
      const reason = messageOf(error);
      const message = `The sync could not be started: Inngest did not accept its event (${reason}). Try again.`;
      await finishRun(db, { ...run, status: "failed", error: message });
      throw new ExternalServiceError(message);
    }
    return;
  }
  const work = runInProcess(db, run)
    .catch(async (error: unknown) => finishRun(db, { ...run, status: "failed", error: messageOf(error) }))
    .finally(() => running.delete(run.tenantId));
  running.set(run.tenantId, work);
}

/** A run for the tenant, refused while another is queued or running, and started. */
export async function requestSync(db: Db, input: Omit<NewRun, "slot">) {
  const run = await createRun(db, input);
  await startRun(db, { tenantId: input.tenantId, runId: run.id });
  return run;
}

/** The scheduler's tick in this process: the runs due and the paused runs to resume. */
async function tickInProcess(db: Db, now: Date): Promise<void> {
  const runs = await createDueRuns(db, floorToTick(now));
  for (const run of runs.start) await startRun(db, run);
  for (const paused of runs.resumed) await markResumed(db, paused);
}

/** Without an Inngest server, the scheduler's tick runs here every quarter hour. */
export function startInProcessScheduler(db: Db): void {
  startInProcessTicker("Scheduled sync tick", TICK_MINUTES * 60_000, () => tickInProcess(db, new Date()));
}

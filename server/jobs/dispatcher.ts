// Starts runs: through Inngest when a server is configured, else in this process (embedded default, tests).
// The in-process path runs the same handlers with steps executed directly; it is for one machine, not a fleet.
import type { Db } from "@/db/client";
import { createRun, finishRun } from "@/db/queries/runs";
import type { SyncEntity } from "@/db/schema";
import { inngest, inngestConfigured, SYNC_REQUESTED, type SyncRequested } from "./client";
import { createDueRuns, TICK_MINUTES } from "./scheduler";
import { runSync, type Steps } from "./sync-run";

const directSteps: Steps = { run: (_id, work) => work() };

type Holder = { ledgerlinkRuns?: Map<string, Promise<unknown>>; ledgerlinkTicker?: NodeJS.Timeout };
const holder = globalThis as Holder;
const running = (holder.ledgerlinkRuns ??= new Map());

async function startRun(db: Db, data: SyncRequested): Promise<void> {
  if (inngestConfigured()) {
    await inngest.send({ id: `sync-${data.runId}`, name: SYNC_REQUESTED, data });
    return;
  }
  const work = runSync(data, directSteps)
    .catch(async (error: unknown) => finishRun(db, { ...data, status: "failed", error: error instanceof Error ? error.message : String(error) }))
    .finally(() => running.delete(data.tenantId));
  running.set(data.tenantId, work);
}

/** A run for the tenant, refused while another is queued or running. */
export async function requestSync(db: Db, input: { tenantId: string; trigger: "manual" | "schedule" | "retry"; requestedBy: string | null; entities: SyncEntity[] }) {
  const run = await createRun(db, input);
  await startRun(db, { tenantId: input.tenantId, runId: run.id });
  return run;
}

/** Without an Inngest server, the scheduler's tick runs here every quarter hour. */
export function startInProcessScheduler(db: Db): void {
  if (inngestConfigured() || holder.ledgerlinkTicker) return;
  const tick = async () => {
    for (const run of await createDueRuns(new Date())) await startRun(db, { tenantId: run.tenantId, runId: run.runId });
  };
  holder.ledgerlinkTicker = setInterval(() => void tick().catch((error: unknown) => console.error("Scheduled sync tick failed:", error)), TICK_MINUTES * 60_000);
  holder.ledgerlinkTicker.unref();
}

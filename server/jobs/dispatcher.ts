// Starts runs: through Inngest when a server is configured, else in this process (embedded default, tests).
// The in-process path runs the same handler with steps executed directly; it is for one machine, not a fleet.
import type { Db } from "@/db/client";
import { createRun, finishRun } from "@/db/queries/sync";
import type { SyncEntity } from "@/db/schema";
import { inngest, inngestConfigured, SYNC_REQUESTED } from "./client";
import { runSync, type Steps } from "./sync-run";

const directSteps: Steps = { run: (_id, work) => work() };

type Holder = { ledgerlinkRuns?: Map<string, Promise<unknown>> };
const running = ((globalThis as Holder).ledgerlinkRuns ??= new Map());

/** The in-process runs still going, for tests and for a clean shutdown. */
export const inProcessRuns = () => [...running.values()];

export async function requestSync(db: Db, input: { tenantId: string; trigger: "manual" | "schedule" | "retry"; requestedBy: string | null; entities: SyncEntity[] }) {
  const run = await createRun(db, input);
  const data = { tenantId: input.tenantId, runId: run.id };
  if (inngestConfigured()) {
    await inngest.send({ id: `sync-${run.id}`, name: SYNC_REQUESTED, data });
    return run;
  }
  const work = runSync(data, directSteps)
    .catch(async (error: unknown) => finishRun(db, { ...data, status: "failed", error: error instanceof Error ? error.message : String(error) }))
    .finally(() => running.delete(input.tenantId));
  running.set(input.tenantId, work);
  return run;
}

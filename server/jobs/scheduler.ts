// The scheduler: every quarter hour, finds the tenants due and sends one run event each, with ids that make a repeated tick harmless.
import { getDb } from "@/db/client";
import { createRun, scheduleCandidates } from "@/db/queries/runs";
import { DomainError } from "@/server/errors";
import { dueRuns } from "@/server/sync/schedule";
import { readSettings } from "@/server/sync/settings";
import { inngest, SYNC_REQUESTED } from "./client";

export const TICK_MINUTES = 15;

const floorToTick = (instant: Date) => new Date(Math.floor(instant.getTime() / (TICK_MINUTES * 60_000)) * TICK_MINUTES * 60_000);

/** Creates the due runs; a tenant with a run already going is left alone. */
export async function createDueRuns(tick: Date) {
  const db = await getDb();
  const candidates = (await scheduleCandidates(db)).map((candidate) => ({ ...candidate, settings: readSettings(candidate.stored) }));
  const created: { tenantId: string; runId: string; slot: string }[] = [];
  for (const due of dueRuns(candidates, tick, TICK_MINUTES)) {
    try {
      const run = await createRun(db, { tenantId: due.tenantId, trigger: "schedule", requestedBy: null, entities: due.entities });
      created.push({ tenantId: due.tenantId, runId: run.id, slot: due.slot });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
    }
  }
  return created;
}

export const schedulerFunction = inngest.createFunction({ id: "sync-scheduler", triggers: [{ cron: `*/${TICK_MINUTES} * * * *` }] }, async ({ step }) => {
  const runs = await step.run("create-due-runs", () => createDueRuns(floorToTick(new Date())));
  if (runs.length === 0) return { started: 0 };
  await step.sendEvent(
    "start-runs",
    runs.map((run) => ({ id: `schedule-${run.tenantId}-${run.slot}`, name: SYNC_REQUESTED, data: { tenantId: run.tenantId, runId: run.runId } })),
  );
  return { started: runs.length };
});

// The scheduler: every quarter hour, ends runs whose worker is gone, starts the tenants due and resumes paused runs;
// a retried tick re-finds the runs it made (one per tenant and slot) and sends their events again under the same ids.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import {
  activeRun,
  createRun,
  markResumed,
  pausedRunsDue,
  scheduleCandidates,
  sweepLapsedRuns,
  type NewRun,
} from "@/db/queries/runs";
import { DomainError } from "@/server/errors";
import { dueRuns } from "@/server/sync/schedule";
import { readSettings } from "@/server/sync/settings";
import { inngest, startEvent } from "./client";

export const TICK_MINUTES = 15;

const TICK_MS = TICK_MINUTES * 60_000;

export const floorToTick = (instant: Date) => new Date(Math.floor(instant.getTime() / TICK_MS) * TICK_MS);

type RunRef = { tenantId: string; runId: string };
/** `start`: runs still waiting for their event; `resumed`: paused runs whose continuation exists. */
export type TickRuns = { start: RunRef[]; resumed: RunRef[] };

/** The slot's run, made or found again; null (with a warning) when the tenant has another run going. */
async function slotRun(db: Db, input: NewRun & { slot: string }) {
  try {
    return await createRun(db, input);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
    const busy = await activeRun(db, input.tenantId);
    const going = busy ? `run ${busy.id} is still ${busy.status}` : "another run is going";
    const what = `Scheduled sync (${input.trigger}, slot ${input.slot}) for tenant ${input.tenantId}`;
    console.warn(`${what} not started: ${going}.`);
    return null;
  }
}

/** The runs of the tick that starts at `tick`: the tenants due, and the paused runs whose resume time has come. */
export async function createDueRuns(db: Db, tick: Date): Promise<TickRuns> {
  await sweepLapsedRuns(db);
  const stored = await scheduleCandidates(db);
  const candidates = stored.map((candidate) => ({ ...candidate, settings: readSettings(candidate.stored) }));
  const runs: TickRuns = { start: [], resumed: [] };
  const add = (run: { id: string; tenantId: string; status: string }) => {
    // A run already picked up (or ended) had its event delivered: sending it again would only repeat it.
    if (run.status === "queued") runs.start.push({ tenantId: run.tenantId, runId: run.id });
  };
  for (const { tenantId, entities, slot } of dueRuns(candidates, tick, TICK_MINUTES)) {
    const run = await slotRun(db, { tenantId, trigger: "schedule", requestedBy: null, entities, slot });
    if (run) add(run);
  }
  for (const paused of await pausedRunsDue(db, tick)) {
    const { tenantId, requestedBy, entities } = paused;
    const onlySplynxIds = paused.onlySplynxIds ?? undefined;
    const slot = `resume-${paused.id}`;
    const run = await slotRun(db, { tenantId, trigger: "resume", requestedBy, entities, onlySplynxIds, slot });
    if (!run) continue;
    add(run);
    runs.resumed.push({ tenantId, runId: paused.id });
  }
  return runs;
}

/** The Inngest function over a database. */
export function schedulerFunctionFor(database: () => Promise<Db>) {
  const options = { id: "sync-scheduler", triggers: [{ cron: `*/${TICK_MINUTES} * * * *` }] };
  return inngest.createFunction(options, async ({ event, step }) => {
    // The tick is the cron's own time, so a retried attempt names the same slots.
    const tick = floorToTick(new Date(event.ts ?? Date.now()));
    const runs = await step.run("create-due-runs", async () => createDueRuns(await database(), tick));
    if (runs.start.length > 0) await step.sendEvent("start-runs", runs.start.map(startEvent));
    // Only once the continuations' events are out is a paused run marked resumed; until then a retry finds it again.
    if (runs.resumed.length > 0) {
      await step.run("mark-resumed", async () => {
        const db = await database();
        for (const paused of runs.resumed) await markResumed(db, paused);
      });
    }
    return { started: runs.start.length };
  });
}

export const schedulerFunction = schedulerFunctionFor(getDb);

// The scheduler: every quarter hour, ends runs whose worker is gone, starts the tenants due and resumes paused runs;
// a retried tick re-finds the runs it made (one per tenant and slot) and sends their events again under the same ids.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { pausedRunsDue, sweepLapsedRuns } from "@/db/queries/runs";
import { createSlotRuns, markRunsResumed, scheduleGroups, type SlotRun } from "@/db/queries/scheduling";
import { dueRuns } from "@/server/sync/schedule";
import { readSettings } from "@/server/sync/settings";
import { inngest, startEvent } from "./client";

export const TICK_MINUTES = 15;

const TICK_MS = TICK_MINUTES * 60_000;
/** Events per send: a few dozen kilobytes, far under Inngest's request limits. */
export const EVENTS_PER_SEND = 500;

export const floorToTick = (instant: Date) => new Date(Math.floor(instant.getTime() / TICK_MS) * TICK_MS);

type RunRef = { tenantId: string; runId: string };
/** `start`: runs still waiting for their event; `resumed`: paused runs whose continuation exists. */
export type TickRuns = { start: RunRef[]; resumed: RunRef[] };

/** The tenants due at `tick`: each group of tenants sharing a time zone and schedule is decided once. */
async function dueSlots(db: Db, tick: Date): Promise<SlotRun[]> {
  const slots: SlotRun[] = [];
  for (const group of await scheduleGroups(db)) {
    const stored = { general: { timeZone: group.timeZone ?? undefined }, schedule: group.schedule ?? undefined };
    const settings = readSettings(stored);
    const [due] = dueRuns([{ tenantId: "", settings, connectionsHealthy: true }], tick, TICK_MINUTES);
    if (!due) continue;
    for (const tenantId of group.tenantIds)
      slots.push({ tenantId, trigger: "schedule", requestedBy: null, entities: [...due.entities], slot: due.slot });
  }
  return slots;
}

/** The runs of the tick that starts at `tick`: the tenants due, and the paused runs whose resume time has come. */
export async function createDueRuns(db: Db, tick: Date): Promise<TickRuns> {
  await sweepLapsedRuns(db);
  const paused = await pausedRunsDue(db, tick);
  const resumes: SlotRun[] = paused.map((run) => ({
    tenantId: run.tenantId,
    trigger: "resume",
    requestedBy: run.requestedBy,
    entities: run.entities,
    onlySplynxIds: run.onlySplynxIds ?? undefined,
    paymentsImportMode: run.paymentsImportMode,
    slot: `resume-${run.id}`,
  }));
  const { runs, busy } = await createSlotRuns(db, [...(await dueSlots(db, tick)), ...resumes]);
  for (const slot of busy) {
    const going = slot.active ? `run ${slot.active.id} is still ${slot.active.status}` : "another run is going";
    const what = `Scheduled sync (${slot.trigger}, slot ${slot.slot}) for tenant ${slot.tenantId}`;
    console.warn(`${what} not started: ${going}.`);
  }
  const made = new Set(runs.map((run) => run.slot));
  return {
    // A run already picked up (or ended) had its event delivered: sending it again would only repeat it.
    start: runs.filter((run) => run.status === "queued").map((run) => ({ tenantId: run.tenantId, runId: run.id })),
    resumed: paused
      .filter((run) => made.has(`resume-${run.id}`))
      .map((run) => ({ tenantId: run.tenantId, runId: run.id })),
  };
}

/** The Inngest function over a database. */
export function schedulerFunctionFor(database: () => Promise<Db>) {
  const options = { id: "sync-scheduler", triggers: [{ cron: `*/${TICK_MINUTES} * * * *` }] };
  return inngest.createFunction(options, async ({ event, step }) => {
    // The tick is the cron's own time, so a retried attempt names the same slots.
    const tick = floorToTick(new Date(event.ts ?? Date.now()));
    const runs = await step.run("create-due-runs", async () => createDueRuns(await database(), tick));
    // In sends of a few hundred events; a send retried resends its events under the same ids, which start nothing twice.
    for (let start = 0; start < runs.start.length; start += EVENTS_PER_SEND)
      await step.sendEvent("start-runs", runs.start.slice(start, start + EVENTS_PER_SEND).map(startEvent));
    // Only once the continuations' events are out is a paused run marked resumed; until then a retry finds it again.
    if (runs.resumed.length > 0) {
      await step.run("mark-resumed", async () => markRunsResumed(await database(), runs.resumed));
    }
    return { started: runs.start.length };
  });
}

export const schedulerFunction = schedulerFunctionFor(getDb);

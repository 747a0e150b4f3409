// The Inngest client. Without INNGEST_EVENT_KEY (embedded default, tests) runs go through the in-process dispatcher.
import { Inngest } from "inngest";

export const inngest = new Inngest({
  id: "ledgerlink",
  isDev: process.env.NODE_ENV !== "production" && !process.env.INNGEST_SIGNING_KEY,
});

export const SYNC_REQUESTED = "ledgerlink/sync.requested";

/** Where a run goes on: the entity (its index in the run's order), the last Splynx id done, the counters so far. */
export type RunCursor = {
  /** Which continuation this is (0 for the run's first event). */
  part: number;
  entityIndex: number;
  after: number;
  /** Records of the current entity handled so far, compared with Splynx's count after its last page. */
  handled: number;
  done: number;
  total: number;
};
/** Starts a run, or (with a cursor) continues it in a new function run. */
export type SyncRequested = { tenantId: string; runId: string; cursor?: RunCursor };

/** The event that starts a run; its id is the run's, so sending it again (a retried tick) starts nothing twice. */
export const startEvent = (run: { tenantId: string; runId: string }) => ({
  id: `sync-${run.runId}`,
  name: SYNC_REQUESTED,
  data: { tenantId: run.tenantId, runId: run.runId } satisfies SyncRequested,
});

/** The event that continues a run at its cursor; each part has its own id, so a retried send continues it once. */
export const continueEvent = (run: { tenantId: string; runId: string }, cursor: RunCursor) => ({
  id: `sync-${run.runId}-part-${cursor.part}`,
  name: SYNC_REQUESTED,
  data: { tenantId: run.tenantId, runId: run.runId, cursor } satisfies SyncRequested,
});

/** Whether an Inngest server receives events; otherwise the dispatcher runs them here. */
export const inngestConfigured = () => Boolean(process.env.INNGEST_EVENT_KEY || process.env.INNGEST_BASE_URL);

// The Inngest client. Without INNGEST_EVENT_KEY (embedded default, tests) runs go through the in-process dispatcher.
import { Inngest } from "inngest";

export const inngest = new Inngest({ id: "ledgerlink", isDev: process.env.NODE_ENV !== "production" && !process.env.INNGEST_SIGNING_KEY });

export const SYNC_REQUESTED = "ledgerlink/sync.requested";
export type SyncRequested = { tenantId: string; runId: string };

/** Whether an Inngest server receives events; otherwise the dispatcher runs them here. */
export const inngestConfigured = () => Boolean(process.env.INNGEST_EVENT_KEY || process.env.INNGEST_BASE_URL);

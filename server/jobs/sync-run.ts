// The run function: one sync for one tenant, its work in durable steps of one Splynx page each.
import { getDb } from "@/db/client";
import { finishRun, getRun, recordProgress } from "@/db/queries/runs";
import { RunStop, syncCustomerPage } from "@/server/sync/engine";
import { syncContextFor } from "@/server/sync/context";
import { inngest, SYNC_REQUESTED, type SyncRequested } from "./client";

export const PAGE_SIZE = 200;

/** The part of Inngest's step tools the run uses, so the in-process dispatcher can provide it too. */
export type Steps = { run: <T>(id: string, work: () => Promise<T>) => Promise<T> };

type PageStep = { lastId: number | null; records: number; stop?: { message: string; status: "failed" | "cancelled" } };

export async function runSync(data: SyncRequested, step: Steps): Promise<{ status: string }> {
  const { tenantId, runId } = data;
  const total = await step.run("count", async () => {
    const db = await getDb();
    const context = await syncContextFor(db, data);
    const count = await context.splynx.count("customers");
    await recordProgress(db, { tenantId, runId, counts: { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 }, zohoCalls: 0, done: 0, total: count, step: "customers" });
    return count;
  });
  let after = 0;
  let done = 0;
  for (let index = 0; ; index++) {
    const page: PageStep = await step.run(`customers-page-${index}`, async () => {
      const db = await getDb();
      const run = await getRun(db, { tenantId, runId });
      if (run?.cancelRequested) return { lastId: null, records: 0, stop: { message: "Cancelled by a person.", status: "cancelled" as const } };
      try {
        const result = await syncCustomerPage(await syncContextFor(db, data), { after, pageSize: PAGE_SIZE });
        await recordProgress(db, { tenantId, runId, counts: result.counts, zohoCalls: result.zohoCalls, done: done + result.records, total, step: "customers" });
        return { lastId: result.lastId, records: result.records };
      } catch (error) {
        // A stop is an outcome, not a step failure to retry.
        if (error instanceof RunStop) return { lastId: null, records: 0, stop: { message: error.message, status: error.status } };
        throw error;
      }
    });
    done += page.records;
    if (page.stop) {
      await step.run("stop", async () => finishRun(await getDb(), { tenantId, runId, status: page.stop!.status, error: page.stop!.message }));
      return { status: page.stop.status };
    }
    if (page.lastId === null || page.records < PAGE_SIZE) break;
    after = page.lastId;
  }
  await step.run("finish", async () => finishRun(await getDb(), { tenantId, runId, status: "succeeded" }));
  return { status: "succeeded" };
}

export const syncRunFunction = inngest.createFunction(
  {
    id: "sync-run",
    // One run at a time per tenant, whichever worker picks it up.
    concurrency: { key: "event.data.tenantId", limit: 1 },
    retries: 4,
    triggers: [{ event: SYNC_REQUESTED }],
  },
  async ({ event, step }) => runSync(event.data as SyncRequested, step as unknown as Steps),
);

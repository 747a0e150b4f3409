// The Splynx index refresh: a tenant's Splynx lists read into Records' index, through Inngest when a server is
// configured, else in this process; started when Splynx is connected, from Records, and every day for every tenant.
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { claimIndexRefresh, finishIndexRefresh, tenantsWithSplynx } from "@/db/queries/splynx-index";
import { ExternalServiceError } from "@/server/errors";
import { INDEX_ORDER, readEntityIntoIndex, RefreshTakenOver } from "@/server/splynx-index/refresh";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { inngest, inngestConfigured } from "./client";
import { startInProcessTicker } from "./ticker";

export const INDEX_REQUESTED = "ledgerlink/splynx-index.requested";
export type IndexRequested = { tenantId: string; refreshId: string };

/** A running refresh not heard from for this long was lost with its worker; a new one may take over. */
const STALE_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** The event that runs a refresh; its id is the refresh's, so sending it again reads nothing twice. */
export const indexEvent = (refresh: IndexRequested) => ({
  id: `splynx-index-${refresh.refreshId}`,
  name: INDEX_REQUESTED,
  data: refresh satisfies IndexRequested,
});

type Steps = { run: <T>(id: string, work: () => Promise<T>) => Promise<T> };
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every entity in a step of its own, then the refresh's end: succeeded, or failed with Splynx's reason. */
export async function runIndexRefresh(db: Db, request: IndexRequested, steps: Steps) {
  try {
    for (const entity of INDEX_ORDER)
      await steps.run(`read-${entity}`, async () =>
        readEntityIntoIndex(db, await splynxClientForTenant(db, request.tenantId), { ...request, entity }),
      );
    await finishIndexRefresh(db, { ...request, status: "succeeded" });
  } catch (error) {
    if (error instanceof RefreshTakenOver) return;
    await finishIndexRefresh(db, {
      ...request,
      status: "failed",
      error: `Splynx could not be read: ${messageOf(error)}`,
    });
  }
}

const direct: Steps = { run: (_id, work) => work() };

type Holder = { ledgerlinkIndexRefreshes?: Map<string, Promise<unknown>> };
const holder = globalThis as Holder;
holder.ledgerlinkIndexRefreshes ??= new Map();
const refreshing = holder.ledgerlinkIndexRefreshes;

/** Starts a refresh of the tenant's index unless one is going; null when one is. */
export async function requestIndexRefresh(db: Db, tenantId: string): Promise<IndexRequested | null> {
  const claimed = await claimIndexRefresh(db, { tenantId, staleMs: STALE_MS });
  if (!claimed) return null;
  const request = { tenantId, refreshId: claimed.id };
  if (inngestConfigured()) {
    try {
      await inngest.send(indexEvent(request));
    } catch (error) {
      const message = `The refresh could not be started: Inngest did not accept its event (${messageOf(error)}). Try again.`;
      await finishIndexRefresh(db, { ...request, status: "failed", error: message });
      throw new ExternalServiceError(message);
    }
    return request;
  }
  const work = runIndexRefresh(db, request, direct)
    .catch((error: unknown) => console.error(`Splynx index refresh ${request.refreshId} could not be ended:`, error))
    .finally(() => refreshing.delete(tenantId));
  refreshing.set(tenantId, work);
  return request;
}

export function indexRefreshFunctionFor(database: () => Promise<Db>) {
  return inngest.createFunction(
    {
      id: "splynx-index-refresh",
      concurrency: { key: "event.data.tenantId", limit: 1 },
      retries: 2,
      triggers: [{ event: INDEX_REQUESTED }],
      // A step that failed every retry ends the refresh with why, so Records does not wait on it forever.
      onFailure: async ({ event, error }) => {
        const request = event.data.event.data as IndexRequested;
        const message = `Splynx could not be read: ${error.message}`;
        await finishIndexRefresh(await database(), { ...request, status: "failed", error: message });
      },
    },
    // Step results are JSON for Inngest; the refresh reads none of them back.
    async ({ event, step }) =>
      runIndexRefresh(await database(), event.data as IndexRequested, step as unknown as Steps),
  );
}

/** Every day, each tenant with a Splynx connection gets a refresh (a full read where the last is a day old). */
export function dailyIndexRefreshFunctionFor(database: () => Promise<Db>) {
  return inngest.createFunction({ id: "splynx-index-daily", triggers: [{ cron: "23 4 * * *" }] }, async ({ step }) => {
    const claimed = await step.run("claim-refreshes", async () => {
      const db = await database();
      const requests: IndexRequested[] = [];
      for (const tenantId of await tenantsWithSplynx(db)) {
        const refresh = await claimIndexRefresh(db, { tenantId, staleMs: STALE_MS });
        if (refresh) requests.push({ tenantId, refreshId: refresh.id });
      }
      return requests;
    });
    if (claimed.length > 0) await step.sendEvent("read-indexes", claimed.map(indexEvent));
    return { started: claimed.length };
  });
}

export const indexFunctions = [indexRefreshFunctionFor(getDb), dailyIndexRefreshFunctionFor(getDb)];

/** Without an Inngest server, every tenant's index is refreshed in this process once a day, one tenant at a time. */
export function startInProcessIndexRefresh(db: Db): void {
  startInProcessTicker("Daily Splynx index refresh", DAY_MS, async () => {
    for (const tenantId of await tenantsWithSplynx(db)) {
      await requestIndexRefresh(db, tenantId);
      await refreshing.get(tenantId);
    }
  });
}

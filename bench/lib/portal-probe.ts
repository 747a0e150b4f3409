// The portal's pages as a person loads them while the runs go on: the dashboard's queries and the log page's, through
// the real tRPC procedures on a pool of their own (a web process's), each query's and each page's time kept.
import type { Db } from "@/db/client";
import { callerFor } from "@/db/testing/fixtures";

export function portalProbe(webDb: Db) {
  /** Milliseconds per query or page, in the order they were loaded. */
  const times: Record<string, number[]> = {};
  const timed = async <T>(label: string, call: () => Promise<T>) => {
    const started = performance.now();
    const result = await call();
    times[label] = [...(times[label] ?? []), performance.now() - started];
    return result;
  };

  /** The dashboard's queries and the log page's, as the pages send them (each page's at once), for one tenant. */
  async function load(tenantSlug: string, owner: { id: string; email: string }) {
    const caller = callerFor(webDb, { id: owner.id, email: owner.email, name: "owner" });
    await timed("dashboard page", () =>
      Promise.all([
        timed("sync.current", () => caller.sync.current({ tenantSlug })),
        timed("tenants.current", () => caller.tenants.current({ tenantSlug })),
        timed("audit.list", () => caller.audit.list({ tenantSlug, limit: 8 })),
        timed("mapping.checklist", () => caller.mapping.checklist({ tenantSlug })),
        timed("mapping.setup", () => caller.mapping.setup({ tenantSlug })),
        timed("sync.overview", () => caller.sync.overview({ tenantSlug })),
      ]),
    );
    const runs = await timed("log page: sync.runs", () => caller.sync.runs({ tenantSlug, limit: 25 }));
    const runId = runs.runs[0]!.id;
    await timed("log page: sync.run + sync.entries", () =>
      Promise.all([caller.sync.run({ tenantSlug, runId }), caller.sync.entries({ tenantSlug, runId, limit: 100 })]),
    );
  }

  return { load, times };
}

// Waiting for the Splynx index's refresh (started by connecting Splynx) to end, through the procedure Records polls.
import { expect, vi } from "vitest";
import type { callerFor } from "@/db/testing/fixtures";

type Caller = ReturnType<typeof callerFor>;

/** The refresh the connection started, once it has succeeded. */
export const refreshEnded = (caller: Caller, tenantSlug: string) =>
  vi.waitFor(
    async () => {
      const refresh = await caller.records.refreshStatus({ tenantSlug });
      if (refresh?.status !== "succeeded") throw new Error(`refresh ${refresh?.status}: ${refresh?.error ?? ""}`);
      return refresh;
    },
    { timeout: 30_000, interval: 100 },
  );

/** Tests the tenant's saved Splynx connection, which starts the index's refresh, and waits for the refresh to end. */
export async function indexSplynx(caller: Caller, tenantSlug: string) {
  expect((await caller.splynx.test({ tenantSlug })).ok).toBe(true);
  return refreshEnded(caller, tenantSlug);
}

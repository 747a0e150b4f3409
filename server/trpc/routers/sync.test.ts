import { describe, expect, it, vi } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

describe("sync procedures", () => {
  it("retry one: a failed customer is retried as a run of its own, and its link heals", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    // Past the customers the sandbox's Zoho already holds, so this one is created rather than held for review.
    const splynxId = "40";
    const ended = async (runId: string) =>
      vi.waitFor(
        async () => {
          const run = await caller.sync.run({ tenantSlug, runId });
          if (run.status === "queued" || run.status === "running") throw new Error("still running");
          return run;
        },
        { timeout: 60_000, interval: 50 },
      );
    sandboxZoho().faults.serverErrorRate = 1;
    try {
      const { runId } = await caller.sync.retryOne({ tenantSlug, splynxId });
      expect(await ended(runId)).toMatchObject({
        trigger: "retry",
        status: "succeeded",
        counts: { failed: 1, created: 0 },
      });
    } finally {
      sandboxZoho().resetFaults();
    }
    const failed = await caller.sync.records({ tenantSlug, state: "failed" });
    expect(failed.links).toEqual([expect.objectContaining({ splynxId, message: "Internal error" })]);
    expect(failed.failed).toBe(1);

    const { runId } = await caller.sync.retryOne({ tenantSlug, splynxId });
    expect(await ended(runId)).toMatchObject({ status: "succeeded", counts: { created: 1, failed: 0 } });
    expect((await caller.sync.records({ tenantSlug })).links).toEqual([
      expect.objectContaining({ splynxId, state: "synced", zohoId: expect.stringMatching(/^\d{19}$/) }),
    ]);
    const { runs } = await caller.sync.runs({ tenantSlug });
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ["retry", "succeeded"],
      ["retry", "succeeded"],
    ]);
    expect(runs[0]!.requestedByEmail).toMatch(/@example\.test$/);
  }, 90_000);
});

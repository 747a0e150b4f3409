import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = useTestDatabase();

describe("sync procedures", () => {
  it("retry one: a failed customer is retried on its own and its link heals", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    sandboxZoho().faults.serverErrorRate = 1;
    try {
      expect(await caller.sync.retryOne({ tenantSlug, splynxId: "3" })).toMatchObject({ failed: 1, created: 0 });
    } finally {
      sandboxZoho().resetFaults();
    }
    const failed = await caller.sync.records({ tenantSlug, state: "failed" });
    expect(failed.links).toEqual([expect.objectContaining({ splynxId: "3", message: "Internal error" })]);
    expect(failed.failed).toBe(1);

    expect(await caller.sync.retryOne({ tenantSlug, splynxId: "3" })).toMatchObject({ created: 1, failed: 0 });
    expect((await caller.sync.records({ tenantSlug })).links).toEqual([expect.objectContaining({ splynxId: "3", state: "synced", zohoId: expect.stringMatching(/^\d{19}$/) })]);
    const { runs } = await caller.sync.runs({ tenantSlug });
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([["retry", "succeeded"], ["retry", "succeeded"]]);
    expect(runs[0]!.requestedByEmail).toMatch(/@example\.test$/);
  });
});

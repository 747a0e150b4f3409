// Scheduled runs read what Splynx changed since their last complete read (SPEC §7): an unchanged book costs a page,
// a changed record is synced, a failed one is tried again, and a full read comes back daily or on another basis.
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { deleteTenantLinks } from "@/db/queries/links-reset";
import { getRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import { syncLinks } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxSplynx } from "@/server/sandbox";
import { syncFunctionTenant } from "./testing/sync-function";

const database = registerTestDatabase();
// Pages of the customer list (reads of one customer by id are counted apart).
const customerReads = (tenantId: string) => sandboxSplynx(tenantId).calls.get("GET admin/customers/customer") ?? 0;

/** Runs one customers run and says what it cost: Splynx list reads and the run as it ended. */
async function measured(setup: Awaited<ReturnType<typeof syncFunctionTenant>>, trigger: "schedule" | "manual") {
  const before = customerReads(setup.tenantId);
  const run = await setup.newRun(["customer"], trigger);
  const { result } = await setup.execute(run);
  expect(result).toEqual({ status: "succeeded" });
  const ended = await getRun(database.db, { tenantId: setup.tenantId, runId: run.id });
  return { reads: customerReads(setup.tenantId) - before, run: ended! };
}

describe("incremental reads of scheduled runs", () => {
  it("reads only changed customers after a full read, retries failed ones, and reads in full daily or on a new basis", async () => {
    // Partner 3's active customers are synced (17 of 250), so the Zoho sandbox's real per-minute limit is no wait.
    const general = { existingMatch: "pair", ignoredPartnerIds: ["1", "2"] };
    const settings = { general, customers: { ignoreInactive: true } };
    const setup = await syncFunctionTenant(database.db, settings);
    const customers = sandboxSplynx(setup.tenantId).store.customers.all();
    // Seeded customers changed long ago: nothing is within a read of changes.
    for (const customer of customers) customer.last_update = "2025-01-02 03:04:05";

    const first = await measured(setup, "schedule");
    expect(first.run.progress.total).toBe(customers.length);
    expect(first.reads).toBeGreaterThan(1);

    // Nothing changed: the changes filter finds none; no Zoho call, no Splynx listing of the whole book.
    const quiet = await measured(setup, "schedule");
    expect(quiet.run).toMatchObject({ zohoCalls: 0, progress: { total: 0 } });
    expect(quiet.reads).toBe(1);

    // One customer changed in Splynx now: it alone is read and updated in Zoho.
    const synced = customers.filter((customer) => customer.partner_id === "3" && customer.status === "active");
    const changed = synced[0]!;
    changed.name = `${changed.name} (renamed)`;
    changed.last_update = new Date().toISOString().slice(0, 19).replace("T", " ");
    const one = await measured(setup, "schedule");
    expect(one.run.counts).toMatchObject({ updated: 1, failed: 0 });
    expect(one.run.progress.total).toBe(1);

    // A record that failed last time is tried again though Splynx did not change it.
    const failed = synced[1]!;
    await database.db
      .update(syncLinks)
      .set({ state: "failed", message: "Zoho refused it." })
      .where(and(eq(syncLinks.tenantId, setup.tenantId), eq(syncLinks.splynxId, String(failed.id))));
    const retried = await measured(setup, "schedule");
    expect(retried.run.counts).toMatchObject({ updated: 1, failed: 0 });
    // The renamed customer, still within the day's overlap, and the empty page that ends a listing.
    expect(retried.reads).toBe(2);

    // A manual run reads everything, whatever the cursor says.
    const manual = await measured(setup, "manual");
    expect(manual.run.progress.total).toBe(customers.length);

    // A changed setting (the name pattern) changes what unchanged customers become: the next scheduled read is full.
    await saveSettingsRow(database.db, {
      tenantId: setup.tenantId,
      values: { ...settings, customers: { ...settings.customers, namePattern: "{name} ({id})" } },
    });
    const renamed = await measured(setup, "schedule");
    expect(renamed.run.progress.total).toBe(customers.length);
    expect(renamed.run.counts.updated).toBeGreaterThan(1);
    // Back to changes only: the customer renamed within the day's overlap is read again (unchanged, no Zoho call).
    expect((await measured(setup, "schedule")).run).toMatchObject({ progress: { total: 1 }, zohoCalls: 0 });

    // Links erased (a mapping reset): their records sync again as new, so the next scheduled read is full.
    await database.db.transaction((tx) => deleteTenantLinks(tx, { tenantId: setup.tenantId }));
    expect((await measured(setup, "schedule")).run.progress.total).toBe(customers.length);

    // A day after the last full read, a scheduled run reads in full again.
    vi.useFakeTimers({ now: Date.now() + 25 * 60 * 60_000, toFake: ["Date"] });
    try {
      expect((await measured(setup, "schedule")).run.progress.total).toBe(customers.length);
    } finally {
      vi.useRealTimers();
    }
  }, 120_000);
});

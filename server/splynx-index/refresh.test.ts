// Records' index from Splynx, against the Splynx simulator: filled by the index job's reads (changes only after the first
// full read, removals found by a full read) and by a sync run's pages; records no run handled listed as such.
import { describe, expect, it } from "vitest";
import { claimIndexRefresh, finishIndexRefresh, listRecords, saveIndexCursor } from "@/db/queries/splynx-index";
import { registerTestDatabase } from "@/db/testing/test-database";
import type { IndexedEntity } from "@/db/schema";
import { syncHarness } from "@/server/sync/testing/harness";
import { readEntityIntoIndex } from "./refresh";

const database = registerTestDatabase();

const splynxNow = () => new Date().toISOString().replace("T", " ").slice(0, 19);

async function readOnce(harness: Awaited<ReturnType<typeof syncHarness>>, entity: IndexedEntity) {
  const refresh = (await claimIndexRefresh(database.db, { tenantId: harness.tenant.id, staleMs: 60_000 }))!;
  const splynx = harness.context("index").splynx;
  const input = { tenantId: harness.tenant.id, refreshId: refresh.id };
  const read = await readEntityIntoIndex(database.db, splynx, { ...input, entity });
  await finishIndexRefresh(database.db, { ...input, status: "succeeded" });
  return read;
}

async function allRecords(tenantId: string, entity: IndexedEntity) {
  const page = await listRecords(database.db, { tenantId, entity, limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.records;
}

describe("the Splynx index", () => {
  it("reads Splynx in full first, then only what changed, and marks what Splynx removed on the next full read", async () => {
    const harness = await syncHarness(database.db, { customers: 30, invoices: 12 });
    const tenantId = harness.tenant.id;
    const zohoCalls = () => [...harness.zoho.calls.values()].reduce((sum, count) => sum + count, 0);
    const zohoCallsBefore = zohoCalls();
    expect(await readOnce(harness, "customer")).toEqual({
      entity: "customer",
      read: 30,
      removed: 0,
      incremental: false,
    });
    const customers = await allRecords(tenantId, "customer");
    expect(customers).toHaveLength(30);
    expect(new Set(customers.map((record) => record.state))).toEqual(new Set(["unsynced"]));
    const seventh = harness.splynx.store.customers.get(7)!;
    expect(customers[6]).toMatchObject({ splynxId: "7", label: seventh.name, splynxStatus: seventh.status });

    Object.assign(seventh, { name: "Renamed in Splynx", last_update: splynxNow() });
    const changes = await readOnce(harness, "customer");
    expect(changes).toMatchObject({ incremental: true, removed: 0 });
    expect(changes.read).toBeGreaterThanOrEqual(1);
    expect(changes.read).toBeLessThan(30);
    expect((await allRecords(tenantId, "customer"))[6]).toMatchObject({ label: "Renamed in Splynx" });

    // A day on, the read is full again, and finds the customer Splynx no longer has.
    harness.splynx.store.customers.remove(9);
    const dayAgo = new Date(Date.now() - 25 * 60 * 60_000);
    await saveIndexCursor(database.db, { tenantId, entity: "customer", readFrom: dayAgo, full: true });
    expect(await readOnce(harness, "customer")).toEqual({
      entity: "customer",
      read: 29,
      removed: 1,
      incremental: false,
    });
    const removed = (await allRecords(tenantId, "customer")).filter((record) => record.removedAt);
    expect(removed.map((record) => record.splynxId)).toEqual(["9"]);
    expect(zohoCalls()).toBe(zohoCallsBefore);
  });

  it("keeps a record Splynx sends unreadable on a full read: seen, not removed, its indexed fields kept", async () => {
    const harness = await syncHarness(database.db, { customers: 6 });
    const tenantId = harness.tenant.id;
    await readOnce(harness, "customer");
    const third = (await allRecords(tenantId, "customer"))[2]!;
    Object.assign(harness.splynx.store.customers.get(3)!, { name: { first: "not", last: "text" } });
    const dayAgo = new Date(Date.now() - 25 * 60 * 60_000);
    await saveIndexCursor(database.db, { tenantId, entity: "customer", readFrom: dayAgo, full: true });
    expect(await readOnce(harness, "customer")).toMatchObject({ read: 6, removed: 0, incremental: false });
    const kept = (await allRecords(tenantId, "customer"))[2]!;
    expect(kept).toMatchObject({
      splynxId: "3",
      label: third.label,
      splynxStatus: third.splynxStatus,
      removedAt: null,
    });
  });

  it("is filled by a run's pages: what the run handled shows its state, documents no run handled 'unsynced'", async () => {
    const harness = await syncHarness(database.db, { customers: 12, invoices: 8 });
    const tenantId = harness.tenant.id;
    const run = await harness.runCustomers(5);
    const customers = await allRecords(tenantId, "customer");
    expect(customers.map((record) => record.splynxId)).toEqual(
      Array.from({ length: 12 }, (_, index) => `${index + 1}`),
    );
    expect(customers.filter((record) => record.state === "unsynced")).toEqual([]);
    expect(customers.filter((record) => record.state === "synced")).toHaveLength(run.created);
    expect(await allRecords(tenantId, "invoice")).toEqual([]);

    expect(await readOnce(harness, "invoice")).toMatchObject({ read: 8, incremental: false });
    const invoices = await allRecords(tenantId, "invoice");
    expect(invoices.map((record) => record.state)).toEqual(Array(8).fill("unsynced"));
    const first = harness.splynx.store.invoices.get(Number(invoices[0]!.splynxId))!;
    expect(invoices[0]).toMatchObject({
      label: first.number,
      details: { customerId: String(first.customer_id), splynxTotal: String(first.total) },
      customerName: customers[Number(first.customer_id) - 1]!.label,
    });
  });
});

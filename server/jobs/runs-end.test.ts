// Runs always end (SPEC §6): a dead worker's run is swept, a lost start event fails its run at once, a cancel with no
// worker ends the run now, and "retry one" is a run like any other, not a sync inside the web request.
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimRun, createRun, getRun, requestCancel, RUN_PICKUP_MS, sweepLapsedRuns } from "@/db/queries/runs";
import { syncLinks, syncRuns } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { inngest, SYNC_REQUESTED } from "./client";
import { requestSync } from "./dispatcher";
import { syncRunFunctionFor } from "./sync-run";

const database = registerTestDatabase();

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function freshTenant() {
  const owner = await makePerson(database.db, "owner");
  const tenant = await makeTenant(database.db, owner);
  return { tenantId: tenant.id, requestedBy: owner.id };
}

const zohoContacts = (tenantId: string) =>
  [...sandboxZoho(tenantId).store.organizations.values()].reduce(
    (sum, organization) => sum + organization.contacts.size,
    0,
  );

const lapse = (runId: string, at = new Date(Date.now() - 1_000)) =>
  database.db.update(syncRuns).set({ leaseUntil: at }).where(eq(syncRuns.id, runId));

describe("the lease and the sweep", () => {
  it("ends a run whose worker died as 'worker lost', and the next start is not refused", async () => {
    const db = database.db;
    const { tenantId, requestedBy } = await freshTenant();
    const dead = await createRun(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    expect(await claimRun(db, { tenantId, runId: dead.id })).toMatchObject({ status: "running" });
    const refused = "A sync is already queued or running for this tenant; wait for it or cancel it.";
    const start = () => createRun(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    await expect(start()).rejects.toThrow(refused);

    await lapse(dead.id);
    expect((await start()).status).toBe("queued");
    expect(await getRun(db, { tenantId, runId: dead.id })).toMatchObject({
      status: "failed",
      error:
        "Worker lost: the worker running this sync stopped renewing its lease (it crashed, was stopped or lost the " +
        "database); the next run picks up the records it did not reach.",
      progress: { step: "failed" },
    });
  });

  it("ends a run no worker picked up within the grace, counting from creation when it has no lease", async () => {
    const db = database.db;
    const never = await freshTenant();
    const legacy = await freshTenant();
    const alive = await freshTenant();
    const neverRun = await createRun(db, { ...never, trigger: "schedule", entities: ["customer"] });
    await lapse(neverRun.id);
    const legacyRun = await createRun(db, { ...legacy, trigger: "manual", entities: ["customer"] });
    const old = new Date(Date.now() - RUN_PICKUP_MS - 60_000);
    await db.update(syncRuns).set({ leaseUntil: null, createdAt: old }).where(eq(syncRuns.id, legacyRun.id));
    const aliveRun = await createRun(db, { ...alive, trigger: "manual", entities: ["customer"] });
    await claimRun(db, { tenantId: alive.tenantId, runId: aliveRun.id });

    const swept = await sweepLapsedRuns(db);
    expect(swept.map((run) => run.id).sort()).toEqual([neverRun.id, legacyRun.id].sort());
    const lost = {
      status: "failed",
      error:
        "Worker lost: no worker picked this run up within 15 minutes (its start was never delivered). Start it again.",
    };
    expect(await getRun(db, { tenantId: never.tenantId, runId: neverRun.id })).toMatchObject(lost);
    expect(await getRun(db, { tenantId: legacy.tenantId, runId: legacyRun.id })).toMatchObject(lost);
    const stillAlive = await getRun(db, { tenantId: alive.tenantId, runId: aliveRun.id });
    expect(stillAlive).toMatchObject({ status: "running", error: null });
  });
});

describe("a lost start event", () => {
  it("ends the run as failed with the reason at once, and the next start works", async () => {
    const db = database.db;
    const { tenantId, requestedBy } = await freshTenant();
    vi.stubEnv("INNGEST_EVENT_KEY", "test-event-key");
    const send = vi.spyOn(inngest, "send").mockRejectedValueOnce(new Error("fetch failed"));
    const message = "The sync could not be started: Inngest did not accept its event (fetch failed). Try again.";

    const start = () => requestSync(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    await expect(start()).rejects.toThrow(message);
    const [lost] = await db.select().from(syncRuns).where(eq(syncRuns.tenantId, tenantId));
    expect(lost).toMatchObject({ status: "failed", error: message });

    send.mockResolvedValueOnce({ ids: ["event-id"] });
    const next = await start();
    expect(next.status).toBe("queued");
    expect(send.mock.calls.map(([event]) => event)).toEqual([
      { id: `sync-${lost!.id}`, name: SYNC_REQUESTED, data: { tenantId, runId: lost!.id } },
      { id: `sync-${next.id}`, name: SYNC_REQUESTED, data: { tenantId, runId: next.id } },
    ]);
  });
});

describe("cancel", () => {
  it("ends at once a run no worker holds; asks a live worker to stop; refuses an ended run", async () => {
    const db = database.db;
    const { tenantId, requestedBy } = await freshTenant();
    const queued = await createRun(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    expect(await requestCancel(db, { tenantId, runId: queued.id })).toBe("cancelled");
    const cancelled = { status: "cancelled", error: "Cancelled by a person.", finishedAt: expect.any(Date) };
    expect(await getRun(db, { tenantId, runId: queued.id })).toMatchObject(cancelled);
    // A worker that comes for it afterwards finds nothing to do.
    expect(await claimRun(db, { tenantId, runId: queued.id })).toBeNull();

    const orphan = await createRun(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    await claimRun(db, { tenantId, runId: orphan.id });
    await lapse(orphan.id);
    expect(await requestCancel(db, { tenantId, runId: orphan.id })).toBe("cancelled");
    expect(await getRun(db, { tenantId, runId: orphan.id })).toMatchObject(cancelled);

    const live = await createRun(db, { tenantId, trigger: "manual", requestedBy, entities: ["customer"] });
    await claimRun(db, { tenantId, runId: live.id });
    expect(await requestCancel(db, { tenantId, runId: live.id })).toBe("requested");
    const asked = { status: "running", cancelRequested: true, finishedAt: null };
    expect(await getRun(db, { tenantId, runId: live.id })).toMatchObject(asked);

    await expect(requestCancel(db, { tenantId, runId: queued.id })).rejects.toThrow("No running sync with this id.");
  });
});

describe("retry one", () => {
  it("creates a run for the one record, started through the dispatcher; nothing syncs inside the request", async () => {
    const db = database.db;
    const { tenant, caller } = await sandboxTenant(db);
    vi.stubEnv("INNGEST_EVENT_KEY", "test-event-key");
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: ["event-id"] });
    const contactsBefore = zohoContacts(tenant.id);

    const { runId } = await caller.sync.retryOne({ tenantSlug: tenant.slug, splynxId: "100" });
    expect(await getRun(db, { tenantId: tenant.id, runId })).toMatchObject({
      trigger: "retry",
      status: "queued",
      entities: ["customer"],
      onlySplynxIds: ["100"],
      zohoCalls: 0,
    });
    expect(await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenant.id))).toEqual([]);
    expect(zohoContacts(tenant.id)).toBe(contactsBefore);
    const event = { id: `sync-${runId}`, name: SYNC_REQUESTED, data: { tenantId: tenant.id, runId } };
    expect(send.mock.calls.map(([sent]) => sent)).toEqual([event]);

    // The worker that receives the event syncs that record and no other.
    const syncRun = syncRunFunctionFor(async () => database.db);
    const { result, ctx } = await new InngestTestEngine({ function: syncRun, events: [event] }).execute();
    expect(result).toEqual({ status: "succeeded" });
    const steps = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(steps).toEqual(["claim", "count", "customer-page-0", "finish"]);
    // Two Zoho calls: a page of the contact list (nothing already there to pair) and the create.
    const ended = await getRun(db, { tenantId: tenant.id, runId });
    const succeeded = { status: "succeeded", progress: { done: 1, total: 1 }, zohoCalls: 2, counts: { created: 1 } };
    expect(ended).toMatchObject(succeeded);
    const links = await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenant.id));
    expect(links.map((link) => [link.splynxId, link.state])).toEqual([["100", "synced"]]);
  });

  it("without an Inngest server, the dispatcher runs it in this process to its end", async () => {
    const db = database.db;
    const { tenant, caller } = await sandboxTenant(db);
    const { runId } = await caller.sync.retryOne({ tenantSlug: tenant.slug, splynxId: "101" });
    await vi.waitFor(async () => expect((await getRun(db, { tenantId: tenant.id, runId }))?.status).toBe("succeeded"), {
      timeout: 20_000,
    });
    const links = await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenant.id));
    expect(links.map((link) => [link.splynxId, link.state])).toEqual([["101", "synced"]]);
  });
});

// The scheduler over many tenants: schedules decided once per group, runs made in batches, events sent in batches of
// at most EVENTS_PER_SEND, and nothing made or sent twice when the tick is retried.
import { InngestTestEngine } from "@inngest/test";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { claimRun, createRun, finishRun, getRun } from "@/db/queries/runs";
import { splynxConnections, syncRuns, tenants, zohoConnections } from "@/db/schema";
import { insertScheduledTenants } from "@/db/testing/scheduled-tenants";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SYNC_REQUESTED } from "./client";
import { createDueRuns, EVENTS_PER_SEND, schedulerFunctionFor } from "./scheduler";

const database = registerTestDatabase();
const scheduler = schedulerFunctionFor(async () => database.db);
afterEach(() => vi.restoreAllMocks());
// Each test sees only its own tenants: a tick reads every tenant of the database.
beforeEach(() => database.db.delete(tenants));

// Inngest numbers a step id used again ("start-runs", "start-runs:1", …); each send is mocked as Inngest would answer.
const sendSteps = () =>
  Array.from({ length: 4 }, (_, index) => ({
    id: index === 0 ? "start-runs" : `start-runs:${index}`,
    handler: () => ({ ids: [] }),
  }));
const tickAt = (tick: string) =>
  new InngestTestEngine({
    function: scheduler,
    events: [{ name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" }, ts: Date.parse(tick) }],
    steps: sendSteps(),
  }).execute();
type SendMock = { mock: { calls: [string, { id: string; name: string; data: { runId: string } }[]][] } };
const sends = (ctx: { step: unknown }) => (ctx.step as { sendEvent: SendMock }).sendEvent.mock.calls;
const runsOf = (tenantIds: string[]) =>
  database.db.select().from(syncRuns).where(inArray(syncRuns.tenantId, tenantIds));

describe("the scheduler over many tenants", () => {
  it("starts every due tenant once, in sends of at most EVENTS_PER_SEND events; a retried tick makes nothing twice", async () => {
    const db = database.db;
    const count = EVENTS_PER_SEND * 2 + 7;
    // In thirds: payments every 15 minutes; customers at 06:00 in UTC or London (06:00 UTC in November, due); customers
    // at 06:00 in Kolkata (00:30 UTC, not due).
    const launchAtSix = (timeZone: string) => ({
      general: { timeZone },
      schedule: { launchTime: "06:00", customers: true },
    });
    const ids = await insertScheduledTenants(db, {
      prefix: "many",
      count,
      settingsOf: (n) =>
        n % 3 === 0
          ? { schedule: { intervalMinutes: 15, payments: true } }
          : launchAtSix(n % 3 === 2 ? "Asia/Kolkata" : n % 2 === 0 ? "UTC" : "Europe/London"),
    });
    const tenantIds = [...ids.values()];
    const due = [...ids].filter(([n]) => n % 3 === 0 || n % 3 === 1).map(([, id]) => id);
    expect(due).toHaveLength(671);

    const first = await tickAt("2026-11-25T06:00:00Z");
    expect(first.error).toBeUndefined();
    const runs = await runsOf(tenantIds);
    expect(runs.map((run) => run.tenantId).sort()).toEqual([...due].sort());
    const byTenant = new Map(runs.map((run) => [run.tenantId, run]));
    expect(byTenant.get(ids.get(3)!)).toMatchObject({ entities: ["payment", "payment_import"], status: "queued" });
    expect(byTenant.get(ids.get(1)!)).toMatchObject({ entities: ["customer"], slot: "2026-11-25T06:00:00.000Z" });
    expect(byTenant.get(ids.get(4)!)).toMatchObject({ entities: ["customer"], slot: "2026-11-25T06:00:00.000Z" });

    const batches = sends(first.ctx).map(([, events]) => events);
    expect(batches.map((events) => events.length)).toEqual([EVENTS_PER_SEND, due.length - EVENTS_PER_SEND]);
    const sent = batches.flat();
    expect(sent.map((event) => event.data.runId).sort()).toEqual(runs.map((run) => run.id).sort());
    expect(sent.every((event) => event.name === SYNC_REQUESTED && event.id === `sync-${event.data.runId}`)).toBe(true);

    const again = await tickAt("2026-11-25T06:00:20Z");
    expect((await runsOf(tenantIds)).length).toBe(due.length);
    expect(
      sends(again.ctx)
        .flatMap(([, events]) => events.map((event) => event.id))
        .sort(),
    ).toEqual(sent.map((event) => event.id).sort());
  });

  it("starts only tenants connected to both sides, and warns of a tenant whose run is still going", async () => {
    const db = database.db;
    const ids = await insertScheduledTenants(db, {
      prefix: "health",
      count: 5,
      settingsOf: () => ({ schedule: { intervalMinutes: 30, invoices: true } }),
    });
    const [healthy, reconnect, noOrganization, noSplynx, busy] = [1, 2, 3, 4, 5].map((n) => ids.get(n)!);
    await db.update(zohoConnections).set({ state: "needs_reconnect" }).where(eq(zohoConnections.tenantId, reconnect!));
    await db.update(zohoConnections).set({ organizationId: null }).where(eq(zohoConnections.tenantId, noOrganization!));
    await db.delete(splynxConnections).where(eq(splynxConnections.tenantId, noSplynx!));
    const going = await createRun(db, {
      tenantId: busy!,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    await claimRun(db, { tenantId: busy!, runId: going.id });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    const runs = await createDueRuns(db, new Date("2026-11-25T09:30:00Z"));
    const made = await runsOf([...ids.values()]);
    expect(made.filter((run) => run.trigger === "schedule").map((run) => run.tenantId)).toEqual([healthy]);
    expect(runs.start).toEqual([{ tenantId: healthy, runId: made.find((run) => run.tenantId === healthy)!.id }]);
    expect(warn.mock.calls).toEqual([
      [
        `Scheduled sync (schedule, slot 2026-11-25T09:30:00.000Z) for tenant ${busy} not started: ` +
          `run ${going.id} is still running.`,
      ],
    ]);
  });

  it("resumes a paused run with its entities, records and payments import reach, and marks it resumed", async () => {
    const db = database.db;
    const ids = await insertScheduledTenants(db, { prefix: "paused", count: 1, settingsOf: () => null });
    const tenantId = ids.get(1)!;
    const paused = await createRun(db, {
      tenantId,
      trigger: "manual",
      requestedBy: null,
      entities: ["payment_import"],
      paymentsImportMode: "all",
    });
    await claimRun(db, { tenantId, runId: paused.id });
    const resumeAt = new Date("2026-11-26T00:00:00Z");
    await finishRun(db, { tenantId, runId: paused.id, status: "paused", error: "Paused: quota reserve.", resumeAt });

    const { result, ctx } = await tickAt("2026-11-26T00:00:00Z");
    expect(result).toMatchObject({ started: 1 });
    const continuation = (await runsOf([tenantId])).find((run) => run.id !== paused.id)!;
    expect(continuation).toMatchObject({
      trigger: "resume",
      status: "queued",
      entities: ["payment_import"],
      paymentsImportMode: "all",
      slot: `resume-${paused.id}`,
    });
    expect(sends(ctx).flatMap(([, events]) => events.map((event) => event.data.runId))).toEqual([continuation.id]);
    expect(await getRun(db, { tenantId, runId: paused.id })).toMatchObject({ status: "paused", resumeAt: null });
  });
});

// The Inngest functions under @inngest/test: the run's page steps, its entities, its end when Inngest gives up, and the
// scheduler's slots, retried ticks, daylight-saving nights, lost workers and resumed runs.
import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimRun, createRun, finishRun, getRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import { syncLinks, syncRuns, type SyncEntity } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxSplynx, sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { SYNC_REQUESTED } from "./client";
import { schedulerFunctionFor } from "./scheduler";
import { syncRunFunctionFor } from "./sync-run";

const database = registerTestDatabase();
const syncRun = syncRunFunctionFor(async () => database.db);
const scheduler = schedulerFunctionFor(async () => database.db);

type Mocked = { mock: { calls: unknown[][] } };
type Ctx = { step: unknown };
const stepIds = (ctx: Ctx) => (ctx.step as { run: Mocked }).run.mock.calls.map(([id]) => id);
const sentEvents = (ctx: Ctx) => (ctx.step as { sendEvent: Mocked }).sendEvent.mock.calls.map(([, events]) => events);
const startEvent = (tenantId: string, runId: string) => ({
  id: `sync-${runId}`,
  name: SYNC_REQUESTED,
  data: { tenantId, runId },
});

/** A tenant connected to both sandboxes, with its settings and a run helper. */
async function tenantWith(values: Record<string, unknown>) {
  const { tenant, person } = await sandboxTenant(database.db);
  await saveSettingsRow(database.db, { tenantId: tenant.id, values });
  const tenantId = tenant.id;
  const newRun = (entities: SyncEntity[], trigger: "manual" | "schedule" = "manual") =>
    createRun(database.db, { tenantId, trigger, requestedBy: trigger === "manual" ? person.id : null, entities });
  return { tenantId, person, newRun };
}

const execute = (run: { tenantId: string; id: string }) => {
  const event = { name: SYNC_REQUESTED, data: { tenantId: run.tenantId, runId: run.id } };
  return new InngestTestEngine({ function: syncRun, events: [event] }).execute();
};

/** One execution of the scheduler as the cron at `tick` starts it (the start-runs send is mocked). */
const tickAt = (tick: string) =>
  new InngestTestEngine({
    function: scheduler,
    events: [{ name: "inngest/scheduled.timer", data: { cron: "*/15 * * * *" }, ts: Date.parse(tick) }],
    steps: [{ id: "start-runs", handler: () => ({ ids: ["event-id"] }) }],
  }).execute();

const runsOf = (tenantId: string) =>
  database.db.select().from(syncRuns).where(eq(syncRuns.tenantId, tenantId)).orderBy(syncRuns.createdAt);
const zohoContacts = (tenantId: string) =>
  [...sandboxZoho(tenantId).store.organizations.values()].reduce(
    (sum, organization) => sum + organization.contacts.size,
    0,
  );

afterEach(() => vi.restoreAllMocks());

describe("sync-run function", () => {
  it("syncs a tenant's customers in page steps and records the outcome", async () => {
    const general = { ignoredPartnerIds: ["1", "2"], existingMatch: "pair" };
    const { tenantId, newRun } = await tenantWith({ general });
    const run = await newRun(["customer"]);

    const { result, error, ctx } = await execute(run);
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "succeeded" });
    // 250 customers in pages of 200, in one step: the second page was read while the first wrote, and the third came
    // back empty, which is how Splynx says "no more".
    expect(stepIds(ctx)).toEqual(["claim", "count", "customer-page-0", "finish"]);

    const customers = sandboxSplynx(tenantId).store.customers.all();
    const partnerThree = customers.filter((customer) => customer.partner_id === "3").length;
    expect(await getRun(database.db, { tenantId, runId: run.id })).toMatchObject({
      status: "succeeded",
      counts: { created: partnerThree, skipped: customers.length - partnerThree, failed: 0 },
      progress: { done: customers.length, total: customers.length, step: "succeeded" },
    });
  }, 60_000);

  it("syncs only the entities it was started for: a payments run with export off exports nothing, customers included", async () => {
    const { tenantId, newRun } = await tenantWith({});
    const run = await newRun(["payment"], "schedule");
    const contactsBefore = zohoContacts(tenantId);
    const payments = sandboxSplynx(tenantId).store.payments.all().length;

    const { result } = await execute(run);
    expect(result).toEqual({ status: "succeeded" });
    expect(await getRun(database.db, { tenantId, runId: run.id })).toMatchObject({
      status: "succeeded",
      zohoCalls: 0,
      counts: { skipped: payments, created: 0, failed: 0 },
    });
    const links = await database.db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenantId));
    expect(links).toHaveLength(payments);
    for (const link of links)
      expect(link).toMatchObject({
        entity: "payment",
        state: "skipped",
        message: "Payments export is off in Settings.",
      });
    expect(zohoContacts(tenantId)).toBe(contactsBefore);
  });

  it("ends the run as failed with the error when the function exhausted its retries (onFailure)", async () => {
    const { tenantId, newRun } = await tenantWith({});
    const run = await newRun(["customer"]);
    await claimRun(database.db, { tenantId, runId: run.id });

    // @inngest/test runs the main handler only; this runs the same function's onFailure handler, as Inngest does.
    type Executable = { createExecution: (options: { partialOptions: object }) => unknown };
    const execution = syncRun as unknown as Executable;
    const asFailure = ({ partialOptions }: { partialOptions: object }) =>
      execution.createExecution({ partialOptions: { ...partialOptions, handlerKind: "failure" } });
    const failureHandler = new Proxy(syncRun, {
      get: (target, key) => (key === "createExecution" ? asFailure : Reflect.get(target, key, target)),
    }) as InngestFunction.Any;
    const error = { name: "Error", message: "connect ECONNREFUSED 10.0.0.7:5432" };
    const original = { name: SYNC_REQUESTED, data: { tenantId, runId: run.id } };
    const data = { function_id: "ledgerlink-sync-run", run_id: "01J", error, event: original };
    const failed = { name: "inngest/function.failed", data };
    const failure = await new InngestTestEngine({ function: failureHandler, events: [failed] }).execute();
    expect(failure.error).toBeUndefined();
    expect(await getRun(database.db, { tenantId, runId: run.id })).toMatchObject({
      status: "failed",
      error: "The sync stopped after its retries ran out: connect ECONNREFUSED 10.0.0.7:5432",
    });
    expect((await newRun(["customer"])).status).toBe("queued");
  });
});

describe("sync-scheduler function", () => {
  it("names a run by its slot: a retried tick finds the same run and sends its event again, same id", async () => {
    const schedule = { launchTime: "06:10", customers: true };
    const { tenantId } = await tenantWith({ general: { timeZone: "UTC" }, schedule });

    const first = await tickAt("2026-11-25T06:00:20Z");
    expect(first.result).toEqual({ started: 1 });
    const runs = await runsOf(tenantId);
    const slot = "2026-11-25T06:10:00.000Z";
    expect(runs.map((run) => [run.trigger, run.status, run.slot])).toEqual([["schedule", "queued", slot]]);
    expect(sentEvents(first.ctx)).toEqual([[startEvent(tenantId, runs[0]!.id)]]);

    // The same cron tick retried: nothing dropped, nothing made twice.
    const again = await tickAt("2026-11-25T06:00:20Z");
    expect(again.result).toEqual({ started: 1 });
    expect(sentEvents(again.ctx)).toEqual([[startEvent(tenantId, runs[0]!.id)]]);
    expect(await runsOf(tenantId)).toHaveLength(1);

    // Once a worker picked the run up, a late retry has nothing to send.
    await claimRun(database.db, { tenantId, runId: runs[0]!.id });
    expect((await tickAt("2026-11-25T06:00:20Z")).result).toEqual({ started: 0 });
  });

  it("starts a London 01:30 launch once on the autumn night and still starts it on the spring night", async () => {
    const schedule = { launchTime: "01:30", invoices: true };
    const { tenantId } = await tenantWith({ general: { timeZone: "Europe/London" }, schedule });

    // 2026-10-25: 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
    expect((await tickAt("2026-10-25T00:30:00Z")).result).toEqual({ started: 1 });
    const [autumn] = await runsOf(tenantId);
    await finishRun(database.db, { tenantId, runId: autumn!.id, status: "succeeded" });
    expect((await tickAt("2026-10-25T01:30:00Z")).result).toEqual({ started: 0 });

    // 2026-03-29: 01:00 GMT jumps to 02:00 BST; 01:30 is read as 02:30 BST, 01:30 UTC.
    expect((await tickAt("2026-03-29T01:30:00Z")).result).toEqual({ started: 1 });
    expect((await runsOf(tenantId)).map((run) => [run.slot, run.entities])).toEqual([
      ["2026-10-25T00:30:00.000Z", ["invoice"]],
      ["2026-03-29T01:30:00.000Z", ["invoice"]],
    ]);
  });

  it("ends a dead worker's run on the tick and starts the tenant; a run still going is warned of", async () => {
    const db = database.db;
    const schedule = { launchTime: "07:00", customers: true };
    const { tenantId, newRun } = await tenantWith({ general: { timeZone: "UTC" }, schedule });
    const dead = await newRun(["customer"]);
    await claimRun(db, { tenantId, runId: dead.id });
    await db
      .update(syncRuns)
      .set({ leaseUntil: new Date(Date.now() - 1_000) })
      .where(eq(syncRuns.id, dead.id));

    expect((await tickAt("2026-11-26T07:00:00Z")).result).toEqual({ started: 1 });
    const lost = { status: "failed", error: expect.stringMatching(/^Worker lost: the worker running this sync /) };
    expect(await getRun(db, { tenantId, runId: dead.id })).toMatchObject(lost);
    const [, scheduled] = await runsOf(tenantId);
    await claimRun(db, { tenantId, runId: scheduled!.id });

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect((await tickAt("2026-11-27T07:00:00Z")).result).toEqual({ started: 0 });
    const going = `run ${scheduled!.id} is still running`;
    const what = `Scheduled sync (schedule, slot 2026-11-27T07:00:00.000Z) for tenant ${tenantId}`;
    const warning = `${what} not started: ${going}.`;
    expect(warn.mock.calls).toEqual([[warning]]);
    expect(await runsOf(tenantId)).toHaveLength(2);
  });

  it("resumes a run paused at the quota reserve once, after its resume time, with the same entities", async () => {
    const db = database.db;
    const { tenantId, person, newRun } = await tenantWith({});
    const paused = await newRun(["customer", "invoice"]);
    await claimRun(db, { tenantId, runId: paused.id });
    const resumeAt = new Date("2026-01-02T00:00:00Z");
    await finishRun(db, { tenantId, runId: paused.id, status: "paused", error: "Paused: quota reserve.", resumeAt });

    expect((await tickAt("2026-01-01T23:45:00Z")).result).toEqual({ started: 0 });
    const resumed = await tickAt("2026-01-02T00:00:00Z");
    expect(resumed.result).toEqual({ started: 1 });
    const continuation = (await runsOf(tenantId)).find((run) => run.id !== paused.id)!;
    expect(continuation).toMatchObject({
      trigger: "resume",
      status: "queued",
      entities: ["customer", "invoice"],
      requestedBy: person.id,
      slot: `resume-${paused.id}`,
    });
    expect(sentEvents(resumed.ctx)).toEqual([[startEvent(tenantId, continuation.id)]]);
    expect(await getRun(db, { tenantId, runId: paused.id })).toMatchObject({ status: "paused", resumeAt: null });

    await finishRun(db, { tenantId, runId: continuation.id, status: "succeeded" });
    expect((await tickAt("2026-01-02T00:15:00Z")).result).toEqual({ started: 0 });
    const resumes = await db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.tenantId, tenantId), eq(syncRuns.trigger, "resume")));
    expect(resumes).toHaveLength(1);
  });
});

// The Inngest functions under @inngest/test: the run's page steps, and the scheduler's deterministic events.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createRun, getRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import { sandboxSplynx } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { SYNC_REQUESTED } from "./client";
import { schedulerFunction } from "./scheduler";
import { syncRunFunction } from "./sync-run";

describe("sync-run function", () => {
  it("syncs a tenant's customers in page steps and records the outcome", async () => {
    const db = await getDb();
    const { tenant, person } = await sandboxTenant(db);
    await saveSettingsRow(db, { tenantId: tenant.id, values: { general: { ignoredPartnerIds: ["1", "2"] } } });
    const run = await createRun(db, { tenantId: tenant.id, trigger: "manual", requestedBy: person.id, entities: ["customer"] });

    const engine = new InngestTestEngine({ function: syncRunFunction, events: [{ name: SYNC_REQUESTED, data: { tenantId: tenant.id, runId: run.id } }] });
    const { result, error, ctx } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "succeeded" });
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(stepIds).toEqual(["count", "customers-page-0", "customers-page-1", "finish"]);

    const customers = sandboxSplynx().store.customers.all();
    const partnerThree = customers.filter((customer) => customer.partner_id === "3").length;
    expect(await getRun(db, { tenantId: tenant.id, runId: run.id })).toMatchObject({ status: "succeeded", counts: { created: partnerThree, skipped: customers.length - partnerThree, failed: 0 }, zohoCalls: partnerThree, progress: { done: customers.length, total: customers.length } });
  }, 60_000);
});

describe("sync-scheduler function", () => {
  it("sends one event per due tenant with an id that a repeated tick repeats, and starts nothing twice", async () => {
    const db = await getDb();
    const { tenant } = await sandboxTenant(db);
    const now = new Date();
    const tick = new Date(Math.floor(now.getTime() / 900_000) * 900_000);
    const launchTime = tick.toISOString().slice(11, 16);
    await saveSettingsRow(db, { tenantId: tenant.id, values: { general: { timeZone: "UTC" }, schedule: { launchTime, customers: true } } });

    const scheduler = () => new InngestTestEngine({ function: schedulerFunction, steps: [{ id: "start-runs", handler: () => ({ ids: ["event-id"] }) }] });
    const first = await scheduler().execute();
    expect(first.result).toEqual({ started: 1 });
    const [, events] = (first.ctx.step.sendEvent as unknown as { mock: { calls: [string, { id: string; name: string; data: { tenantId: string; runId: string } }[]][] } }).mock.calls[0]!;
    expect(events).toEqual([{ id: `schedule-${tenant.id}-${tick.toISOString().slice(0, 10)}T${launchTime}`, name: SYNC_REQUESTED, data: { tenantId: tenant.id, runId: expect.any(String) } }]);
    expect(await getRun(db, { tenantId: tenant.id, runId: events[0]!.data.runId })).toMatchObject({ trigger: "schedule", status: "queued" });

    const again = await scheduler().execute();
    expect(again.result).toEqual({ started: 0 });
  });
});

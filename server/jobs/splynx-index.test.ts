// The Splynx index functions under @inngest/test: a refresh reads each entity in a step of its own and ends succeeded, or
// failed with Splynx's reason; the daily function claims a refresh for each tenant with Splynx not already reading.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { claimIndexRefresh, getIndexRefresh, listRecords } from "@/db/queries/splynx-index";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import {
  dailyIndexRefreshFunctionFor,
  INDEX_REQUESTED,
  indexEvent,
  indexRefreshFunctionFor,
  runIndexRefresh,
} from "./splynx-index";

const database = registerTestDatabase();
const refreshFunction = indexRefreshFunctionFor(async () => database.db);
const dailyFunction = dailyIndexRefreshFunctionFor(async () => database.db);

type Mocked = { mock: { calls: unknown[][] } };
const stepIds = (ctx: { step: unknown }) => (ctx.step as { run: Mocked }).run.mock.calls.map(([id]) => id);

/** A tenant whose Splynx connection is saved (not tested, so nothing reads it yet); `secret` may be a wrong one. */
async function splynxTenant(secret: string = SANDBOX_SPLYNX_KEYS.full.secret) {
  const person = await makePerson(database.db, "admin");
  const tenant = await makeTenant(database.db, person);
  await callerFor(database.db, person).splynx.save({
    tenantSlug: tenant.slug,
    baseUrl: SANDBOX_SPLYNX_URL,
    authMode: "signature",
    apiKey: SANDBOX_SPLYNX_KEYS.full.key,
    apiSecret: secret,
  });
  return tenant;
}

async function refreshOf(tenantId: string) {
  const refresh = (await claimIndexRefresh(database.db, { tenantId, staleMs: 60_000 }))!;
  const request = { tenantId, refreshId: refresh.id };
  const { ctx } = await new InngestTestEngine({
    function: refreshFunction,
    events: [{ name: INDEX_REQUESTED, data: request }],
  }).execute();
  return { steps: stepIds(ctx), refresh: await getIndexRefresh(database.db, tenantId) };
}

describe("the Splynx index functions", () => {
  it("reads each entity in a step of its own and ends succeeded, every customer listed", async () => {
    const tenant = await splynxTenant();
    const { steps, refresh } = await refreshOf(tenant.id);
    expect(steps).toEqual(["read-customer", "read-invoice", "read-credit_note", "read-payment"]);
    expect(refresh).toMatchObject({ status: "succeeded", entity: "payment", error: null });
    expect(refresh!.done).toBe(refresh!.total);
    const customers = await listRecords(database.db, { tenantId: tenant.id, entity: "customer", limit: 250 });
    expect([customers.records.length, customers.nextCursor]).toEqual([250, null]);
  }, 60_000);

  it("ends failed with Splynx's refusal, saying what could not be read (in this process)", async () => {
    const tenant = await splynxTenant("a-wrong-secret");
    const refresh = (await claimIndexRefresh(database.db, { tenantId: tenant.id, staleMs: 60_000 }))!;
    await runIndexRefresh(database.db, { tenantId: tenant.id, refreshId: refresh.id }, { run: (_id, work) => work() });
    expect(await getIndexRefresh(database.db, tenant.id)).toMatchObject({
      status: "failed",
      error: "Splynx could not be read: Signature is not valid",
    });
  }, 30_000);

  it("claims a daily refresh for each tenant with Splynx, except one reading already", async () => {
    const [idle, reading] = [await splynxTenant(), await splynxTenant()];
    const busy = (await claimIndexRefresh(database.db, { tenantId: reading.id, staleMs: 60_000 }))!;
    const { ctx } = await new InngestTestEngine({
      function: dailyFunction,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "23 4 * * *" } }],
      steps: [{ id: "read-indexes", handler: () => ({ ids: ["event-id"] }) }],
    }).execute();
    const sends = (ctx.step as { sendEvent: Mocked }).sendEvent.mock.calls;
    expect(sends).toHaveLength(1);
    const events = sends[0]![1] as { data: { tenantId: string } }[];
    const mine = events.filter((event) => [idle.id, reading.id].includes(event.data.tenantId));
    const claimed = (await getIndexRefresh(database.db, idle.id))!;
    expect(mine).toEqual([indexEvent({ tenantId: idle.id, refreshId: claimed.id })]);
    expect((await getIndexRefresh(database.db, reading.id))!.id).toBe(busy.id);
  }, 30_000);
});

// A run longer than one function run's share of pages continues itself with a new event carrying its cursor, and ends
// exactly as one long run would.
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRun, getRun } from "@/db/queries/runs";
import { saveSettingsRow } from "@/db/queries/sync";
import { syncLinks } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxSplynx } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { SYNC_REQUESTED, type RunCursor, type SyncRequested } from "./client";
import { syncRunFunctionFor } from "./sync-run";

const database = registerTestDatabase();

type Mocked = { mock: { calls: unknown[][] } };
type Event = { id?: string; name: string; data: SyncRequested };
type Part = { steps: unknown[]; sent: Event | undefined; result: unknown };

describe("a run that continues itself", () => {
  it("sends its cursor in a new event after N pages, under a fixed id, and ends with every record", async () => {
    const db = database.db;
    const { tenant, person } = await sandboxTenant(db);
    const general = { ignoredPartnerIds: ["1", "2"], existingMatch: "pair" };
    await saveSettingsRow(db, { tenantId: tenant.id, values: { general } });
    const tenantId = tenant.id;
    const run = await createRun(db, { tenantId, trigger: "manual", requestedBy: person.id, entities: ["customer"] });
    const syncRun = syncRunFunctionFor(async () => database.db, { pageSize: 50, stepsPerEvent: 2 });
    const customers = [...sandboxSplynx(tenantId).store.customers.all()].sort((a, b) => a.id - b.id);

    // Each execution is one function run; its "continue" send is mocked and its event starts the next execution.
    const parts: Part[] = [];
    let event: Event = { name: SYNC_REQUESTED, data: { tenantId, runId: run.id } };
    while (parts.length < 10) {
      const steps = [{ id: "continue", handler: () => ({ ids: ["event-id"] }) }];
      const execution = await new InngestTestEngine({ function: syncRun, events: [event], steps }).execute();
      expect(execution.error).toBeUndefined();
      const { run: stepRun, sendEvent } = execution.ctx.step as unknown as { run: Mocked; sendEvent: Mocked };
      const sent = sendEvent.mock.calls.map(([, payload]) => payload as Event)[0];
      parts.push({ steps: stepRun.mock.calls.map(([id]) => id), sent, result: execution.result });
      if (!sent) break;
      event = sent;
    }

    // 250 customers in pages of 50, two pages per function run: five full pages, then the empty one that ends them.
    expect(parts.map((part) => part.steps)).toEqual([
      ["claim", "count", "customer-page-0", "customer-page-1"],
      ["claim", "customer-page-0", "customer-page-1"],
      ["claim", "customer-page-0", "customer-page-1", "finish"],
    ]);
    expect(parts.map((part) => part.result)).toEqual([
      { status: "continued" },
      { status: "continued" },
      { status: "succeeded" },
    ]);
    const continued = (part: number, done: number) => {
      const after = customers[done - 1]!.id;
      const cursor: RunCursor = { part, entityIndex: 0, after, handled: done, done, total: 250 };
      return { id: `sync-${run.id}-part-${part}`, name: SYNC_REQUESTED, data: { tenantId, runId: run.id, cursor } };
    };
    expect(parts.map((part) => part.sent)).toEqual([continued(1, 100), continued(2, 200), undefined]);

    const ended = await getRun(db, { tenantId, runId: run.id });
    const progress = { done: 250, total: 250, step: "succeeded" };
    expect(ended).toMatchObject({ status: "succeeded", error: null, progress });
    const partnerThree = customers.filter((customer) => customer.partner_id === "3").length;
    const counts = { created: partnerThree, skipped: 250 - partnerThree, failed: 0, held: 0, updated: 0, unchanged: 0 };
    expect(ended!.counts).toEqual(counts);
    expect(await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenantId))).toHaveLength(250);
  }, 60_000);
});

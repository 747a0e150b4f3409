// Sync-log retention: the per-tenant setting, and the nightly function deleting old runs with their entries in batches.
import { InngestTestEngine } from "@inngest/test";
import { count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { saveSettingsRow } from "@/db/queries/sync";
import { syncRunEntries, syncRuns, type RunStatus } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ENTRIES_PER_DELETE, logRetentionFunctionFor } from "./log-retention";

const database = registerTestDatabase();
const retention = logRetentionFunctionFor(async () => database.db);
const NOW = new Date("2026-11-25T03:17:00Z");
const DAY = 86_400_000;

/** A run of the tenant that started `daysAgo` days before NOW, in `status`, with `entries` per-record lines. */
async function oldRun(tenantId: string, daysAgo: number, entries: number, status: RunStatus = "succeeded") {
  const createdAt = new Date(NOW.getTime() - daysAgo * DAY);
  const [run] = await database.db
    .insert(syncRuns)
    .values({ tenantId, trigger: "manual", entities: ["customer"], status, createdAt, finishedAt: createdAt })
    .returning();
  await database.db.execute(sql`insert into sync_run_entries (tenant_id, run_id, entity, splynx_id, action, created_at)
    select ${tenantId}, ${run!.id}, 'customer', n::text, 'unchanged', ${createdAt.toISOString()}::timestamptz
    from generate_series(1, ${entries}::int) as n`);
  return run!.id;
}

async function tenantKeeping(days: number | null) {
  const tenant = await makeTenant(database.db, await makePerson(database.db));
  if (days !== null)
    await saveSettingsRow(database.db, { tenantId: tenant.id, values: { general: { logRetentionDays: days } } });
  return tenant.id;
}

const prune = () =>
  new InngestTestEngine({
    function: retention,
    events: [{ name: "inngest/scheduled.timer", data: { cron: "17 3 * * *" }, ts: NOW.getTime() }],
  }).execute();
const runIdsOf = async (tenantIds: string[]) =>
  (await database.db.select({ id: syncRuns.id }).from(syncRuns).where(inArray(syncRuns.tenantId, tenantIds)))
    .map((run) => run.id)
    .sort();
const entriesOf = async (runId: string) =>
  (await database.db.select({ count: count() }).from(syncRunEntries).where(eq(syncRunEntries.runId, runId)))[0]!.count;

describe("sync-log retention", () => {
  it("keeps 180 days unless the tenant chose otherwise, and refuses a retention out of range on its field", async () => {
    const owner = await makePerson(database.db, "owner");
    const tenant = await makeTenant(database.db, owner);
    const caller = callerFor(database.db, owner);
    const { settings } = await caller.settings.get({ tenantSlug: tenant.slug });
    expect(settings.general.logRetentionDays).toBe(180);
    const saving = (days: number) =>
      caller.settings.save({
        tenantSlug: tenant.slug,
        settings: { ...settings, general: { ...settings.general, logRetentionDays: days } },
      });
    const refused = (await saving(3).catch((error: unknown) => error)) as {
      cause: { issues: { path: (string | number)[]; message: string }[] };
    };
    expect(refused.cause.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["settings.general.logRetentionDays", "At least 7"],
    ]);
    await saving(30);
    expect((await caller.settings.get({ tenantSlug: tenant.slug })).settings.general.logRetentionDays).toBe(30);
  });

  it("deletes each tenant's runs older than its retention with their entries, and nothing else", async () => {
    const byDefault = await tenantKeeping(null);
    const monthly = await tenantKeeping(30);
    const expired = await oldRun(byDefault, 181, ENTRIES_PER_DELETE * 2 + 3);
    const recent = await oldRun(byDefault, 179, 4);
    const waiting = await oldRun(byDefault, 200, 2, "paused");
    await database.db.update(syncRuns).set({ resumeAt: NOW }).where(eq(syncRuns.id, waiting));
    const monthOld = await oldRun(monthly, 31, 5, "failed");
    const weekOld = await oldRun(monthly, 7, 6);
    const stillRunning = await oldRun(monthly, 60, 1, "running");

    const { result, error } = await prune();
    expect(error).toBeUndefined();
    expect(result).toEqual({ runs: 2, entries: ENTRIES_PER_DELETE * 2 + 3 + 5 });
    expect(await runIdsOf([byDefault, monthly])).toEqual([recent, waiting, weekOld, stillRunning].sort());
    expect(await Promise.all([expired, monthOld].map(entriesOf))).toEqual([0, 0]);
    expect(await Promise.all([recent, waiting, weekOld, stillRunning].map(entriesOf))).toEqual([4, 2, 6, 1]);
  });

  it("spreads a run with more entries than one step deletes over several steps", async () => {
    const tenantId = await tenantKeeping(30);
    const huge = await oldRun(tenantId, 45, 60_000);
    const { result, ctx } = await prune();
    expect(result).toEqual({ runs: 1, entries: 60_000 });
    const steps = (ctx.step as unknown as { run: { mock: { calls: [string][] } } }).run.mock.calls.map(([id]) => id);
    expect(steps).toEqual(["prune", "prune"]);
    expect(await runIdsOf([tenantId])).toEqual([]);
    expect(await entriesOf(huge)).toBe(0);
  });
});

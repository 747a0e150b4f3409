// The Zoho API budget page's data: today's calls against the quota and reserve, and 30 days of calls and runs.
import { describe, expect, it } from "vitest";
import { createRun, finishRun, recordProgress } from "@/db/queries/runs";
import { recordDailyQuota } from "@/db/queries/zoho-limits";
import { getZohoConnection } from "@/db/queries/zoho";
import { syncRuns, zohoDailyUsage, zohoRateLimits } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { eq } from "drizzle-orm";
import { lastDays, USAGE_DAYS } from "./usage";

const database = registerTestDatabase();
const DAY_MS = 24 * 60 * 60 * 1000;
const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

async function endedRun(tenantId: string, counts: { created: number; updated: number; failed: number }, at: Date) {
  const run = await createRun(database.db, { tenantId, trigger: "manual", requestedBy: null, entities: ["customer"] });
  const page = { tenantId, runId: run.id, zohoCalls: 0, done: 0, total: null, step: "customer" };
  await recordProgress(database.db, { ...page, counts: { ...counts, unchanged: 0, skipped: 0, held: 0 } });
  await finishRun(database.db, { tenantId, runId: run.id, status: "succeeded" });
  await database.db.update(syncRuns).set({ createdAt: at }).where(eq(syncRuns.id, run.id));
}

describe("the Zoho API budget", () => {
  it("lists the last 30 UTC days, oldest first, ending today", () => {
    const days = lastDays(new Date("2026-03-01T23:30:00Z"));
    expect(days).toHaveLength(USAGE_DAYS);
    expect([days[0], days[27], days[29]]).toEqual(["2026-01-31", "2026-02-27", "2026-03-01"]);
  });

  it("shows today's calls against the quota and reserve, calls per day, and the tenant's own runs per day", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const { organizationId, organizationName } = (await getZohoConnection(database.db, { tenantId: tenant.id }))!;
    // The day totals the limiter keeps as it grants calls.
    const calls = (count: number, at: Date) =>
      database.db.insert(zohoDailyUsage).values({ organizationId: organizationId!, day: utcDay(at), calls: count });
    await calls(3, daysAgo(2));
    await calls(2, daysAgo(40));
    const { settings } = await caller.settings.get({ tenantSlug });
    await caller.settings.save({
      tenantSlug,
      settings: { ...settings, general: { ...settings.general, quotaReservePercent: 25 } },
    });
    const resetsAt = new Date(Date.now() + DAY_MS);
    // The limiter's row, as its first call leaves it, then the quota Zoho's headers reported.
    await database.db.insert(zohoRateLimits).values({ organizationId: organizationId! }).onConflictDoNothing();
    await recordDailyQuota(database.db, { organizationId: organizationId!, limit: 1_000, remaining: 990, resetsAt });

    await endedRun(tenant.id, { created: 5, updated: 2, failed: 1 }, daysAgo(1));
    await endedRun(tenant.id, { created: 1, updated: 0, failed: 3 }, daysAgo(1));
    await endedRun(tenant.id, { created: 9, updated: 9, failed: 9 }, daysAgo(45));
    // Another tenant's runs on the same day are not this tenant's.
    const stranger = await makePerson(database.db, "stranger");
    await endedRun((await makeTenant(database.db, stranger)).id, { created: 7, updated: 7, failed: 7 }, daysAgo(1));

    const budget = await caller.usage.budget({ tenantSlug });
    expect(budget.reservePercent).toBe(25);
    expect(budget.organization).toMatchObject({
      id: organizationId,
      name: organizationName,
      dailyLimit: 1_000,
      reserve: 250,
    });
    expect(budget.organization!.calls).toHaveLength(USAGE_DAYS);
    expect(budget.organization!.calls.filter((day) => day.calls > 0)).toEqual([{ day: utcDay(daysAgo(2)), calls: 3 }]);
    expect(budget.organization!.calls.at(-1)!.day).toBe(utcDay(new Date()));
    expect(budget.runs).toHaveLength(USAGE_DAYS);
    expect(budget.runs.filter((day) => day.runs > 0)).toEqual([
      { day: utcDay(daysAgo(1)), runs: 2, created: 6, updated: 2, failed: 4 },
    ]);
  });

  it("has no organization to report before one is chosen", async () => {
    const person = await makePerson(database.db, "owner");
    const tenant = await makeTenant(database.db, person);
    const budget = await callerFor(database.db, person).usage.budget({ tenantSlug: tenant.slug });
    expect(budget).toMatchObject({ organization: null, reservePercent: 20 });
    expect(budget.runs.every((day) => day.runs === 0)).toBe(true);
  });
});

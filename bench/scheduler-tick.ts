// One scheduler tick over N tenants, all due at once (the worst case): the database work of finding them and making
// their runs, and the same tick retried. Run: node --import tsx bench/scheduler-tick.ts [tenants]
import { openPostgres } from "../db/client";
import { insertScheduledTenants } from "../db/testing/scheduled-tenants";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { createDueRuns } from "../server/jobs/scheduler";

const tenantCount = Number(process.argv[2] ?? 10_000);
const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/scheduler-tick.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
const database = await openPostgres(cluster.url);
const { db } = database;

// Half the tenants run customers and invoices at 06:00 in one of five zones, the other half payments every 15 minutes;
// a tenth have no settings stored (nothing scheduled).
const zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
await insertScheduledTenants(db, {
  prefix: "bench",
  count: tenantCount,
  settingsOf: (n) =>
    n % 10 === 0
      ? null
      : n % 2 === 0
        ? { general: { timeZone: zones[n % 5] }, schedule: { launchTime: "06:00", customers: true, invoices: true } }
        : { schedule: { intervalMinutes: 15, payments: true } },
});

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
}

try {
  // 06:00 UTC: every UTC tenant's launch, and every interval tenant.
  const tick = new Date("2026-11-25T06:00:00Z");
  const first = await timed(`tick over ${tenantCount} tenants`, () => createDueRuns(db, tick));
  console.log(`  runs to start: ${first.start.length}`);
  const again = await timed("the same tick retried", () => createDueRuns(db, tick));
  console.log(`  runs to start: ${again.start.length}`);
} finally {
  await database.close();
  cluster.stop();
}

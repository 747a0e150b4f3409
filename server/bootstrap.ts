// Start-up: open the database (which applies migrations) and seed the embedded default's demo.
import { getDb } from "@/db/client";
import { seedDemo } from "@/server/demo/seed";
import { startInProcessScheduler } from "@/server/jobs/dispatcher";
import { startInProcessLogRetention } from "@/server/jobs/log-retention";
import { startInProcessReportScheduler } from "@/server/jobs/report-scheduler";
import { startInProcessIndexRefresh } from "@/server/jobs/splynx-index";
import { env } from "@/server/env";

export async function bootstrap(): Promise<void> {
  const { embedded, pgliteDir } = env();
  const db = await getDb();
  console.log(
    `Ledgerlink database ready (${embedded ? `embedded PGlite at ${pgliteDir}` : "PostgreSQL"}; migrations applied).`,
  );
  startInProcessScheduler(db);
  startInProcessReportScheduler(db);
  startInProcessLogRetention(db);
  startInProcessIndexRefresh(db);
  const demo = await seedDemo(db);
  if (demo) {
    console.log(`Demo sign-in (embedded default only): ${demo.email} / ${demo.password}`);
  }
}

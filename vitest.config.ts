import { defineConfig } from "vitest/config";

// Files that load both cores on their own (2,000-record fault mixes, worker processes) and whose client timeouts and
// leases run in real time: two of them at once slowed each other past their timeouts, so they run one at a time.
const HEAVY = [
  "server/sync/crash.test.ts",
  "server/sync/engine.test.ts",
  "server/sync/invoices.test.ts",
  "server/sync/payments-faults.test.ts",
  "server/sync/totals-reconciliation.test.ts",
  "server/zoho/limiter.test.ts",
  "server/jobs/multi-process.test.ts",
];

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    environment: "node",
    // On TEST_DATABASE_URL's server: migrates once into the template every test file's database is copied from.
    globalSetup: ["db/testing/global-setup.ts"],
    // The app's own handle (env(), sandbox) stays in memory; integration tests open their databases explicitly.
    env: { PGLITE_DIR: "memory://" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two files at a time on two cores (vitest's default, one fewer than the cores, leaves one idle): most files wait on
    // PostgreSQL, sockets and child processes rather than compute. The heavy files then run on their own (TESTING.md).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "rest", include: ["{server,db,app}/**/*.test.ts"], exclude: HEAVY, maxWorkers: 2 },
      },
      { extends: true, test: { name: "heavy", include: HEAVY, maxWorkers: 1 } },
    ],
  },
});

// Mutation testing, `npm run test:mutation`: changes the code that carries the guarantees one small edit at a time and
// reports every edit no test noticed. Heavy on two cores, so not part of `npm test`; scores and survivors in TESTING.md.
// One module: `npm run test:mutation -- --mutate server/net/url-guard.ts`. With TEST_DATABASE_URL set, the
// PostgreSQL-only tests take part too.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts", related: true },
  coverageAnalysis: "perTest",
  concurrency: 2,
  mutate: [
    "db/queries/**/*.ts",
    "!db/queries/**/*.test.ts",
    "server/net/url-guard.ts",
    "server/zoho/limiter.ts",
    // The OAuth state: signing and checking it (the rest of the file is the connection round trip).
    "server/zoho/connection.ts:36-45",
    "server/crypto/secrets.ts",
    "app/api/t/*/runs/*/entries.csv/route.ts",
    "server/sync/engine.ts",
    "server/sync/entities/**/*.ts",
    "!server/sync/entities/**/*.test.ts",
  ],
  ignorePatterns: [".data", ".next", "test-results", "playwright-report", "e2e"],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: ".data/mutation/index.html" },
  jsonReporter: { fileName: ".data/mutation/mutation.json" },
  // Integration tests open a database per file; a mutant that hangs a loop is cut off rather than waited for.
  timeoutMS: 30_000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 75, break: null },
  tempDirName: ".data/stryker-tmp",
  cleanTempDir: "always",
};

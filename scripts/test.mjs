// `npm test`: type-check, unit and integration tests, production build, end-to-end tests; then "N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startThrowawayPostgres } from "./throwaway-postgres.mjs";

const resultsDir = path.resolve(".data/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const bin = (name) => path.resolve("node_modules/.bin", name);
const tally = { passed: 0, failed: 0 };

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${[path.basename(command), ...args].join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

// 1. Type-check: one test.
step("type-check", bin("tsc"), ["--noEmit"]) ? tally.passed++ : tally.failed++;

// 2. Unit and integration tests, against a throwaway PostgreSQL when the binaries are present.
const postgres = await startThrowawayPostgres().catch((error) => {
  console.warn(`Could not start a throwaway PostgreSQL (${error.message}); integration tests use PGlite.`);
  return null;
});
console.log(postgres ? `Integration tests run against PostgreSQL at ${postgres.url}` : "No PostgreSQL binaries: integration tests run on PGlite.");
const vitestReport = path.join(resultsDir, "vitest.json");
try {
  step("unit and integration tests", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], postgres ? { TEST_DATABASE_URL: postgres.url } : {});
} finally {
  postgres?.stop();
}
const vitest = readJson(vitestReport);
if (vitest) {
  tally.passed += vitest.numPassedTests;
  tally.failed += vitest.numFailedTests + (vitest.numFailedTestSuites ?? 0);
} else tally.failed++;

// 3. Production build: one test; the end-to-end tests need it.
const built = step("production build", bin("next"), ["build"]);
built ? tally.passed++ : tally.failed++;

// 4. End-to-end tests in Chromium against `next start` on the embedded default.
if (built) {
  const e2eReport = path.join(resultsDir, "playwright.json");
  if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) console.warn("No Chromium at /usr/bin/chromium: run `apt-get install -y chromium` (the end-to-end tests will fail).");
  step("end-to-end tests", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport, CI: "1" });
  const playwright = readJson(e2eReport);
  if (playwright?.stats) {
    tally.passed += playwright.stats.expected + playwright.stats.flaky;
    tally.failed += playwright.stats.unexpected + (playwright.errors?.length ?? 0);
  } else tally.failed++;
}

console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);

// `npm test`: type-check, format and lint, unit and integration tests, production build, end-to-end tests; then
// "N passed, N failed, N skipped". Where PostgreSQL is available (or installed but failed to start), a skipped test
// counts as failed: every skip in this suite is a PostgreSQL-only test, and a green run must have run them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { startThrowawayPostgres } from "./throwaway-postgres.mjs";

const resultsDir = path.resolve(".data/test-results");
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const bin = (name) => path.resolve("node_modules/.bin", name);
const tally = { passed: 0, failed: 0, skipped: 0 };

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

// 1. Type-check, then format and lint over the whole tree: one test each.
step("type-check", bin("tsc"), ["--noEmit"]) ? tally.passed++ : tally.failed++;
step("format and lint", bin("biome"), ["check", "."]) ? tally.passed++ : tally.failed++;

// 2. Unit and integration tests, against TEST_DATABASE_URL's server if given, else a throwaway PostgreSQL when the
// binaries are present, else PGlite (and the PostgreSQL-only tests are skipped).
let postgresProblem = null;
const postgres = process.env.TEST_DATABASE_URL
  ? { url: process.env.TEST_DATABASE_URL, stop() {} }
  : await startThrowawayPostgres().catch((error) => {
      postgresProblem = `PostgreSQL is installed but did not start (${error.message})`;
      console.warn(`${postgresProblem}; integration tests use PGlite.`);
      return null;
    });
console.log(
  postgres
    ? `Integration tests run against PostgreSQL at ${postgres.url}`
    : "No PostgreSQL: integration tests run on PGlite.",
);
const vitestReport = path.join(resultsDir, "vitest.json");
try {
  step(
    "unit and integration tests",
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
    postgres ? { TEST_DATABASE_URL: postgres.url } : {},
  );
} finally {
  postgres?.stop();
}
const vitest = readJson(vitestReport);
if (vitest) {
  tally.passed += vitest.numPassedTests;
  const failed = vitest.numFailedTests + (vitest.numFailedTestSuites ?? 0);
  tally.failed += failed;
  // Errors outside any test (an unhandled rejection, a worker that died) fail the run without failing a test.
  if (!vitest.success && failed === 0) {
    console.log("\nFAILED: vitest reported errors outside the tests (see above).");
    tally.failed++;
  }
  const skipped = vitest.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => ["skipped", "pending", "todo"].includes(test.status))
      .map((test) => `${path.relative(process.cwd(), file.name)} > ${test.fullName}`),
  );
  if (skipped.length > 0 && (postgres || postgresProblem)) {
    console.log(
      `\nFAILED: ${skipped.length} test(s) skipped although ${postgres ? "PostgreSQL was available" : postgresProblem}:`,
    );
    for (const name of skipped) console.log(`  ${name}`);
    tally.failed += skipped.length;
  } else if (skipped.length > 0) {
    console.log(
      `\n${skipped.length} PostgreSQL-only test(s) skipped: install PostgreSQL (or set TEST_DATABASE_URL) to run them.`,
    );
    tally.skipped += skipped.length;
  }
} else tally.failed++;

// 3. Production build: one test; the end-to-end tests need it.
const built = step("production build", bin("next"), ["build"]);
built ? tally.passed++ : tally.failed++;

// 4. End-to-end tests in Chromium against `next start` on the embedded default.
if (built) {
  const e2eReport = path.join(resultsDir, "playwright.json");
  if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"))
    console.warn(
      "No Chromium at /usr/bin/chromium: run `apt-get install -y chromium` (the end-to-end tests will fail).",
    );
  step("end-to-end tests", bin("playwright"), ["test", "--reporter=list,json"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
    CI: "1",
  });
  const playwright = readJson(e2eReport);
  if (playwright?.stats) {
    tally.passed += playwright.stats.expected + playwright.stats.flaky;
    tally.failed += playwright.stats.unexpected + (playwright.errors?.length ?? 0);
    tally.skipped += playwright.stats.skipped ?? 0;
  } else tally.failed++;
}

console.log(`\n${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed === 0 ? 0 : 1);

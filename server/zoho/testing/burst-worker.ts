// One worker process of the limiter test: fires its share of calls through the shared limiter, then reports.
// Usage: node --import tsx server/zoho/testing/burst-worker.ts <database url> <zoho url> <access token> <calls> <window ms> <margin ms> <name> <deadline ms>
// Each call carries an X-Call-Id header, so the server tells calls from attempts (a retried read is one call).
import { openPostgres } from "@/db/client";
import { ZohoBooksClient } from "../books";
import { ZohoLimiter, ZOHO_LIMITS } from "../limiter";
import { ORGANIZATION } from "./zoho-fixture";

const [databaseUrl, zohoUrl, token, calls, windowMs, marginMs, name, deadlineMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const database = await openPostgres(databaseUrl, { max: 4 });
const limiter = new ZohoLimiter(database.db, {
  ...ZOHO_LIMITS,
  windowMs: Number(windowMs),
  marginMs: Number(marginMs),
  concurrency: 10,
});
// A refused call pauses one window, not Zoho's real minute, so a limiter that lets too much through ends in seconds.
const books = new ZohoBooksClient({
  apiDomain: zohoUrl,
  organizationId: ORGANIZATION,
  accessToken: async () => token,
  limiter,
  backoffMs: 5,
  rateLimitPauseMs: Number(windowMs),
  timeoutMs: 10_000,
});

const started = performance.now();
let next = 0;
let done = 0;
const failures: string[] = [];
const report = (timedOut: boolean) =>
  console.log(
    JSON.stringify({ done, failures, timedOut, attempts: books.calls, seconds: (performance.now() - started) / 1000 }),
  );

// Bounded: past the deadline the worker reports what it did and stops, so the test fails on figures rather than hangs.
setTimeout(() => {
  report(true);
  process.exit(0);
}, Number(deadlineMs)).unref();

const worker = async () => {
  while (next < Number(calls)) {
    const id = `${name}-${next++}`;
    await books.request({ method: "GET", path: "/settings/currencies", headers: { "X-Call-Id": id } }).then(
      () => done++,
      (error: Error) => failures.push(`${id}: ${error.message}`),
    );
  }
};
await Promise.all(Array.from({ length: 6 }, worker));
report(false);
await limiter.settle();
await database.close();

// One worker process of the limiter test: fires its share of calls through the shared limiter, then reports.
// Usage: node --import tsx server/zoho/testing/burst-worker.ts <database url> <zoho url> <access token> <calls> <window ms>
import { openPostgres } from "@/db/client";
import { ZohoBooksClient } from "../books";
import { ZohoLimiter, ZOHO_LIMITS } from "../limiter";
import { ORGANIZATION } from "./zoho-fixture";

const [databaseUrl, zohoUrl, token, calls, windowMs] = process.argv.slice(2) as [string, string, string, string, string];
const database = await openPostgres(databaseUrl, { max: 4 });
const limiter = new ZohoLimiter(database.db, { ...ZOHO_LIMITS, windowMs: Number(windowMs), marginMs: Number(windowMs) / 20, concurrency: 10 });
const books = new ZohoBooksClient({ apiDomain: zohoUrl, organizationId: ORGANIZATION, accessToken: async () => token, limiter, backoffMs: 5 });

let remaining = Number(calls);
let failures = 0;
const worker = async () => {
  while (remaining-- > 0) await books.request({ method: "GET", path: "/settings/currencies" }).catch(() => failures++);
};
const started = performance.now();
await Promise.all(Array.from({ length: 6 }, worker));
console.log(JSON.stringify({ sent: books.calls, failures, waitedMs: Math.round(limiter.waitedMs), seconds: (performance.now() - started) / 1000 }));
await database.close();

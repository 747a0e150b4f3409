// Statements and time per granted Zoho call slot: one caller, then several callers on one organization, then on many.
// Run: node --import tsx bench/limiter.ts [calls] [callers]
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Db } from "../db/client";
import { openPostgres } from "../db/client";
import * as schema from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { ZohoLimiter, ZOHO_LIMITS } from "../server/zoho/limiter";
import { percentile } from "./lib/stats";

const calls = Number(process.argv[2] ?? 2000);
const callers = Number(process.argv[3] ?? 8);
const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/limiter.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();

let statements = 0;
const client = postgres(cluster.url, { max: callers, onnotice: () => {}, debug: () => statements++ });
const db = drizzle(client, { schema }) as unknown as Db;
// The window never fills here: this measures the limiter's own cost per granted call, not Zoho's pace.
const limiter = new ZohoLimiter(db, { ...ZOHO_LIMITS, perWindow: 1_000_000, concurrency: callers });

async function measure(label: string, organizationFor: (caller: number) => string) {
  const latencies: number[] = [];
  statements = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: label.startsWith("1 caller") ? 1 : callers }, async (_, caller) => {
      while (next++ < calls) {
        const asked = performance.now();
        await limiter.run(organizationFor(caller), async () => undefined);
        latencies.push(performance.now() - asked);
      }
    }),
  );
  // The last calls' slots are handed back before the next measure (and before the pool closes).
  await limiter.settle();
  const wall = performance.now() - started;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label}: ${(statements / calls).toFixed(2)} statements per call, ${(wall / calls).toFixed(3)} ms wall per call, ` +
      `latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p95 ${percentile(latencies, 0.95).toFixed(2)} ms`,
  );
}

try {
  await measure("1 caller, 1 organization", () => "org-single");
  await measure(`${callers} callers, 1 organization`, () => "org-shared");
  await measure(`${callers} callers, ${callers} organizations`, (caller) => `org-${caller}`);
} finally {
  await client.end();
  cluster.stop();
}

// Records over the Splynx index at 100,000 records of one tenant (index ⟕ links): p50/p95 of the listing statement per
// filter, and each one's EXPLAIN (ANALYZE, BUFFERS).
// Run: node --import tsx bench/records-index.ts [records in the tenant] [other tenants] [plans file]
import { writeFileSync } from "node:fs";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "../db/client";
import { openPostgres } from "../db/client";
import { listRecords, type RecordFilter } from "../db/queries/splynx-index";
import * as schema from "../db/schema";
import { makePerson, makeTenant } from "../db/testing/fixtures";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";

const records = Number(process.argv[2] ?? 100_000);
const otherTenants = Number(process.argv[3] ?? 4);
const plansFile = process.argv[4] ?? "/tmp/records-index-plans.txt";
const CALLS = 40;

const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/records-index.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();
let seen: { text: string; params: unknown[] }[] = [];
const client = postgres(cluster.url, {
  max: 2,
  onnotice: () => {},
  debug: (_connection, text, params) => seen.push({ text, params: params as unknown[] }),
});
const db = drizzle(client, { schema }) as unknown as Db;

/**
 * A tenant's index: a tenth customers, the rest invoices; a run handled 70 % of them (mostly synced, some failed or
 * skipped), so 30 % are not synced yet, and one customer in a thousand failed.
 */
async function seedTenant(tenantId: string, count: number) {
  const customers = Math.floor(count / 10);
  await client`insert into splynx_records (tenant_id, entity, splynx_id, label, customer_id, date, amount, status,
      changed_at, seen_at)
    select ${tenantId}, case when n <= ${customers}::int then 'customer' else 'invoice' end, n::text,
      case when n <= ${customers}::int then 'Customer ' || n else 'INV-' || lpad(n::text, 8, '0') end,
      case when n > ${customers}::int then (1 + n % ${customers}::int)::text end,
      to_char(date '2020-01-01' + n % 2000, 'YYYY-MM-DD'), (n % 500)::text || '.0000', 'active',
      '2026-11-01 10:00:00', now()
    from generate_series(1, ${count}::int) as n`;
  await client`insert into sync_links (tenant_id, entity, splynx_id, zoho_id, organization_id, state, label, details,
      synced_at)
    select ${tenantId}, case when n <= ${customers}::int then 'customer' else 'invoice' end, n::text,
      '4600000000' || n, 'org-1',
      case when n % 1000 = 7 then 'failed' when n % 10 = 3 then 'skipped' else 'synced' end, 'x',
      jsonb_build_object('splynxTotal', (n % 500)::text || '.00', 'zohoTotal', (n % 500)::text || '.00'), now()
    from generate_series(1, ${count}::int) as n where n % 10 < 7`;
}

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
const plans: string[] = [];

async function measure(label: string, filter: RecordFilter) {
  seen = [];
  await listRecords(db, filter);
  const [query] = seen.filter((statement) => statement.text.includes(`from "splynx_records"`));
  const times: number[] = [];
  for (let index = 0; index < CALLS; index++) {
    const started = performance.now();
    await listRecords(db, filter);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const explained = await client.unsafe(`explain (analyze, buffers) ${query!.text}`, query!.params as never[]);
  const plan = explained.map((row) => row["QUERY PLAN"] as string).join("\n");
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
  const nodes = new Set(
    plan.match(/(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan) (using \w+|on \w+)|Sort\b/g),
  );
  plans.push(`### ${label}\n${JSON.stringify(query!.params)}\n${plan}\n`);
  console.log(
    `| ${label} | ${percentile(times, 0.5).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${execution} | ${[...nodes].join(", ")} |`,
  );
}

try {
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner, "big");
  const started = performance.now();
  await seedTenant(tenant.id, records);
  for (let index = 0; index < otherTenants; index++)
    await seedTenant((await makeTenant(db, owner, `other${index}`)).id, records);
  await client`vacuum analyze`;
  console.log(
    `seeded ${records} records in the tenant and ${otherTenants} other tenants alike in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  const base = { tenantId: tenant.id, limit: 50 } as const;
  const deep = String(Math.floor(records * 0.8));
  console.log(
    "| Records call | p50 ms | p95 ms | EXPLAIN ANALYZE ms | plan nodes |\n| --- | ---: | ---: | ---: | --- |",
  );
  await measure("invoices, first page", { ...base, entity: "invoice" });
  await measure("invoices, deep page", { ...base, entity: "invoice", after: deep });
  await measure("invoices, not synced yet", { ...base, entity: "invoice", state: "unsynced" });
  await measure("invoices, failed (rare)", { ...base, entity: "invoice", state: "failed" });
  await measure("invoices, synced", { ...base, entity: "invoice", state: "synced" });
  await measure("invoices, customer id 9999 (one customer)", { ...base, entity: "invoice", customer: "9999" });
  await measure("invoices, customer '42' (id, or in 280 names)", { ...base, entity: "invoice", customer: "42" });
  await measure("invoices, customer by name", { ...base, entity: "invoice", customer: "Customer 4242" });
  await measure("invoices, a whole number", { ...base, entity: "invoice", text: "INV-00054321" });
  await measure("invoices, number prefix of 10 %", { ...base, entity: "invoice", text: "INV-0005" });
  await measure("customers, failed (rare)", { ...base, entity: "customer", state: "failed" });
  await measure("customers, not synced yet", { ...base, entity: "customer", state: "unsynced" });
  writeFileSync(plansFile, plans.join("\n"));
  console.log(`plans written to ${plansFile}`);
} finally {
  await client.end();
  await cluster.stop();
}

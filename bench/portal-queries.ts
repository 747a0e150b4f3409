// The portal's listings (sync log, run entries, records, audit) at 1,000,000 rows each in one tenant, through the tRPC
// procedures the pages call: p50/p95 per call and each query's EXPLAIN plan.
// Run: node --import tsx bench/portal-queries.ts [rows per table in the tenant] [other tenants] [plans file]
import { writeFileSync } from "node:fs";
import { openPostgres } from "../db/client";
import { listLinks } from "../db/queries/sync";
import { callerFor, makePerson, makeTenant } from "../db/testing/fixtures";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { tracedDatabase } from "./lib/traced-calls";

const rows = Number(process.argv[2] ?? 1_000_000);
const otherTenants = Number(process.argv[3] ?? 9);
const plansFile = process.argv[4] ?? "/tmp/portal-plans.txt";
const CALLS = 40;

const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/portal-queries.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();
const { client, db, plans, measure } = tracedDatabase(cluster.url, CALLS);

/** One tenant's log, records and audit, `count` rows each, written by the database itself. */
async function seedTenant(tenantId: string, actorIds: string[], count: number) {
  const runs = Math.max(10, Math.floor(count / 1_000));
  await client`insert into sync_runs (tenant_id, trigger, entities, status, created_at, finished_at)
    select ${tenantId}, 'schedule', '{customer,invoice}', 'succeeded', now() - (n || ' hours')::interval,
      now() - (n || ' hours')::interval + interval '20 minutes'
    from generate_series(1, ${runs}::int) as n`;
  // Half the entries in the latest run (an initial export), the rest spread over the others.
  await client`insert into sync_run_entries (tenant_id, run_id, entity, splynx_id, action, message, created_at)
    select ${tenantId}, runs.ids[case when n <= ${count / 2}::int then 1 else 2 + n % (${runs}::int - 1) end],
      case when n % 10 = 0 then 'customer' else 'invoice' end, (n % ${count / 2}::int)::text,
      (array['unchanged','unchanged','unchanged','updated','created','skipped','failed'])[1 + (n % 97) % 7],
      case when n % 97 = 6 then 'Zoho said: the rate must be positive' end, now()
    from generate_series(1, ${count}::int) as n,
      (select array_agg(id order by created_at desc) as ids from sync_runs where tenant_id = ${tenantId}) as runs`;
  await client`insert into sync_links (tenant_id, entity, splynx_id, zoho_id, organization_id, state, message, label,
      details, synced_at)
    select ${tenantId}, case when n <= ${count / 10}::int then 'customer' else 'invoice' end, n::text,
      '4600000000' || n, 'org-1', (array['synced','synced','synced','synced','failed','skipped'])[1 + n % 6],
      case when n % 6 = 4 then 'Zoho said no' end,
      case when n <= ${count / 10}::int then 'Customer ' || n else 'INV-' || n end,
      case when n > ${count / 10}::int then jsonb_build_object('number', 'INV-' || n,
        'customerId', (1 + n % ${count / 10}::int)::text, 'date', to_char(date '2020-01-01' + n % 2000, 'YYYY-MM-DD'),
        'splynxTotal', (n % 500)::text || '.00', 'zohoTotal', (n % 500 + (case when n % 1000 = 0 then 1 else 0 end))::text || '.00')
      end, now()
    from generate_series(1, ${count}::int) as n`;
  await client`insert into audit_log (tenant_id, actor_id, actor_email, action, target, created_at)
    select ${tenantId}, (${actorIds}::uuid[])[1 + (case when n % 1000 = 0 then 0 else 1 + n % ${actorIds.length - 1}::int end)],
      'person' || n % 5 || '@example.test',
      (array['sync.start','settings.save','mapping.save','pairing.pair','sign_in','sync.cancel'])[1 + n % 6],
      'target-' || n, now() - (${count}::int - n) * interval '1 minute'
    from generate_series(1, ${count}::int) as n`;
}

try {
  const owner = await makePerson(db, "owner");
  const actors = [
    owner.id,
    ...(await Promise.all([1, 2, 3, 4].map((n) => makePerson(db, `admin${n}`)))).map((p) => p.id),
  ];
  const tenant = await makeTenant(db, owner, "big");
  let started = performance.now();
  await seedTenant(tenant.id, actors, rows);
  for (let index = 0; index < otherTenants; index++) {
    const other = await makeTenant(db, owner, `other${index}`);
    await seedTenant(other.id, actors, rows);
  }
  await client`vacuum analyze`;
  console.log(
    `seeded ${rows} rows per table in the tenant, ${otherTenants} other tenants alike, in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );

  const caller = callerFor(db, owner);
  const tenantSlug = tenant.slug;
  const [latest, middle] = await client<{ id: string }[]>`select id from sync_runs where tenant_id = ${tenant.id}
    order by created_at desc limit 2 offset 0`;
  const firstRuns = await caller.sync.runs({ tenantSlug, limit: 25 });
  const deepEntry = await client<{ id: number }[]>`select id from sync_run_entries where tenant_id = ${tenant.id}
    and run_id = ${latest!.id} order by id offset ${Math.floor(rows / 4)} limit 1`;
  const deepAudit = await client<{ id: number }[]>`select id from audit_log where tenant_id = ${tenant.id}
    order by id desc offset ${Math.floor(rows / 2)} limit 1`;
  started = performance.now();
  console.log("| call | p50 ms | p95 ms | EXPLAIN ANALYZE ms | plan nodes |\n| --- | ---: | ---: | ---: | --- |");
  await measure("sync.runs, first page", "sync_runs", () => caller.sync.runs({ tenantSlug, limit: 25 }));
  await measure("sync.runs, next page", "sync_runs", () =>
    caller.sync.runs({ tenantSlug, limit: 25, cursor: firstRuns.nextCursor }),
  );
  await measure("sync.entries, 500k-entry run, first page", "sync_run_entries", () =>
    caller.sync.entries({ tenantSlug, runId: latest!.id, limit: 100 }),
  );
  await measure("sync.entries, 500k-entry run, deep page", "sync_run_entries", () =>
    caller.sync.entries({ tenantSlug, runId: latest!.id, limit: 100, cursor: Number(deepEntry[0]!.id) }),
  );
  await measure("sync.entries, failed only", "sync_run_entries", () =>
    caller.sync.entries({ tenantSlug, runId: latest!.id, action: "failed", limit: 100 }),
  );
  await measure("sync.entries, small run", "sync_run_entries", () =>
    caller.sync.entries({ tenantSlug, runId: middle!.id, limit: 100 }),
  );
  await measure("listLinks, invoices, first page", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", limit: 50 }),
  );
  await measure("listLinks, invoices, deep page", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", limit: 50, after: String(Math.floor(rows * 0.8)) }),
  );
  await measure("listLinks, invoices, failed", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", state: "failed", limit: 50 }),
  );
  await measure("listLinks, invoices, text", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", text: "INV-77777", limit: 50 }),
  );
  await measure("listLinks, invoices, customer", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", customer: "Customer 4242", limit: 50 }),
  );
  await measure("listLinks, invoices, date range", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", dateFrom: "2021-03-01", dateTo: "2021-03-31", limit: 50 }),
  );
  await measure("listLinks, invoices, mismatch", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "invoice", mismatch: true, limit: 50 }),
  );
  await measure("listLinks, customers", "sync_links", () =>
    listLinks(db, { tenantId: tenant.id, entity: "customer", limit: 50 }),
  );
  await measure("audit.list, first page", "audit_log", () => caller.audit.list({ tenantSlug, limit: 50 }));
  await measure("audit.list, deep page", "audit_log", () =>
    caller.audit.list({ tenantSlug, limit: 50, cursor: Number(deepAudit[0]!.id) }),
  );
  await measure("audit.list, one action", "audit_log", () =>
    caller.audit.list({ tenantSlug, action: "mapping.save", limit: 50 }),
  );
  await measure("audit.list, rare actor", "audit_log", () =>
    caller.audit.list({ tenantSlug, actorId: owner.id, limit: 50 }),
  );
  await measure("audit.list, a week long ago", "audit_log", () =>
    caller.audit.list({
      tenantSlug,
      from: new Date(Date.now() - (rows - 20_000) * 60_000),
      to: new Date(Date.now() - (rows - 30_000) * 60_000),
      limit: 50,
    }),
  );
  await measure("audit.filterOptions", "audit_log", () => caller.audit.filterOptions({ tenantSlug }));
  writeFileSync(plansFile, plans.join("\n"));
  console.log(`plans written to ${plansFile}`);
} finally {
  await client.end();
  cluster.stop();
}

// The reconciliation report's page at 1,000,000 lines in one report, through the tRPC procedures the page and its CSV
// download call: p50/p95 per call and each query's EXPLAIN plan, then the whole CSV read once.
// Run: node --import tsx bench/reconciliation-page.ts [lines in the report] [older reports alike] [plans file]
import { writeFileSync } from "node:fs";
import { openPostgres } from "../db/client";
import { callerFor, makePerson, makeTenant } from "../db/testing/fixtures";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { REPORT_CSV_HEADER, reportCsvLines } from "../server/reports/csv";
import { tracedDatabase } from "./lib/traced-calls";

const lines = Number(process.argv[2] ?? 1_000_000);
const olderReports = Number(process.argv[3] ?? 1);
const plansFile = process.argv[4] ?? "/tmp/reconciliation-plans.txt";
const CALLS = 40;
const EVERY_KIND = ["missing_in_zoho", "missing_in_splynx", "total_differs", "status_differs", "not_linked"] as const;

const cluster = await startThrowawayPostgres();
if (!cluster) throw new Error("bench/reconciliation-page.ts needs PostgreSQL binaries (/usr/lib/postgresql/*/bin)");
await (await openPostgres(cluster.url, { max: 1 })).close();
const { client, db, plans, measure } = tracedDatabase(cluster.url, CALLS);

/**
 * A finished reconciliation as `reconcile` stores it: the documents' mismatches first, then one line per customer. A
 * tenant of 1,000,000 links (a tenth of them customers) at worst: every document mismatching, each customer a line.
 */
async function seedReport(tenantId: string, count: number, ago: number) {
  const customers = Math.floor(count / 10);
  const documents = count - customers;
  const [report] = await client<{ id: string }[]>`insert into reports (tenant_id, kind, trigger, scope, status,
      progress, summary, created_at, finished_at)
    values (${tenantId}, 'reconciliation', 'schedule', '{"from": null, "to": null}', 'succeeded',
      '{"done": 0, "total": null, "step": "succeeded"}', ${JSON.stringify({
        from: null,
        to: null,
        periods: [],
        mismatches: { missing_in_zoho: 0, missing_in_splynx: 0, total_differs: 0, status_differs: 0, not_linked: 0 },
        customers,
        customersDiffering: customers / 10,
      })}::jsonb, now() - ${`${ago} days`}::interval, now() - ${`${ago} days`}::interval)
    returning id`;
  // Of the mismatches: 60 % missing in Zoho, 20 % totals, 15 % status, 4 % missing in Splynx, 1 % not linked.
  await client`insert into report_rows (tenant_id, report_id, entity, splynx_id, zoho_id, label, customer_id, action,
      message, details)
    select ${tenantId}, ${report!.id}, kinds.entity, n::text, '4600000000' || n, kinds.prefix || n,
      (1 + n % ${customers}::int)::text, kinds.action, kinds.action || ': Splynx and Zoho disagree about ' || n,
      jsonb_build_object('date', to_char(date '2020-01-01' + n % 2000, 'YYYY-MM-DD'), 'splynxTotal',
        (n % 500)::text || '.00', 'zohoTotal', (n % 500 + 1)::text || '.00', 'splynxStatus', 'paid', 'zohoStatus', 'sent')
    from generate_series(1, ${documents}::int) as n,
      lateral (select case when n % 20 < 14 then 'invoice' when n % 20 = 14 then 'credit_note' else 'payment' end
          as entity,
        case when n % 20 < 14 then 'INV-' when n % 20 = 14 then 'CN-' else 'PAY-' end as prefix,
        case when n % 100 < 60 then 'missing_in_zoho' when n % 100 < 80 then 'total_differs'
          when n % 100 < 95 then 'status_differs' when n % 100 < 99 then 'missing_in_splynx' else 'not_linked' end
          as action) as kinds`;
  // A customer's line differs in one case of ten.
  await client`insert into report_rows (tenant_id, report_id, entity, splynx_id, label, customer_id, action, details)
    select ${tenantId}, ${report!.id}, 'customer', n::text, 'Customer ' || n, n::text,
      case when n % 10 = 0 then 'customer_differs' else 'customer_matches' end,
      jsonb_build_object('invoiceSplynx', (n % 900)::text || '.00', 'invoiceZoho',
        (n % 900 + (case when n % 10 = 0 then 1 else 0 end))::text || '.00', 'credit_noteSplynx', '0',
        'credit_noteZoho', '0', 'paymentSplynx', (n % 700)::text || '.00', 'paymentZoho', (n % 700)::text || '.00')
    from generate_series(1, ${customers}::int) as n`;
  return report!.id;
}

try {
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner, "big");
  let started = performance.now();
  for (let older = olderReports; older > 0; older--) await seedReport(tenant.id, lines, 7 * older);
  const reportId = await seedReport(tenant.id, lines, 0);
  await client`vacuum analyze`;
  console.log(
    `seeded ${lines} lines in the report and ${olderReports} older reports alike in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );

  const caller = callerFor(db, owner);
  const tenantSlug = tenant.slug;
  const lineAt = async (actions: readonly string[], offset: number) => {
    const [line] = await client<{ id: number }[]>`select id from report_rows where tenant_id = ${tenant.id}
      and report_id = ${reportId} and action in ${client(actions)} order by id offset ${offset} limit 1`;
    return Number(line!.id);
  };
  const deepMismatch = await lineAt(EVERY_KIND, Math.floor(lines * 0.8));
  const deepMissing = await lineAt(["missing_in_zoho"], Math.floor(lines * 0.4));
  const deepCustomer = await lineAt(["customer_differs", "customer_matches"], Math.floor(lines / 20));
  const rows = (input: { actions?: (typeof EVERY_KIND)[number][] | ("customer_differs" | "customer_matches")[] }) =>
    ({ tenantSlug, reportId, limit: 100, ...input }) as const;

  console.log("| call | p50 ms | p95 ms | EXPLAIN ANALYZE ms | plan nodes |\n| --- | ---: | ---: | ---: | --- |");
  await measure("reconciliation.latest", "reports", () => caller.reconciliation.latest({ tenantSlug }));
  await measure("reconciliation.mismatches (dashboard)", "reports", () =>
    caller.reconciliation.mismatches({ tenantSlug }),
  );
  await measure("rows, every kind, first page", "report_rows", () =>
    caller.reconciliation.rows(rows({ actions: [...EVERY_KIND] })),
  );
  await measure("rows, every kind, deep page", "report_rows", () =>
    caller.reconciliation.rows({ ...rows({ actions: [...EVERY_KIND] }), cursor: deepMismatch }),
  );
  await measure("rows, missing in Zoho, deep page", "report_rows", () =>
    caller.reconciliation.rows({ ...rows({ actions: ["missing_in_zoho"] }), cursor: deepMissing }),
  );
  await measure("rows, not linked (1 %)", "report_rows", () =>
    caller.reconciliation.rows(rows({ actions: ["not_linked"] })),
  );
  await measure("rows, customers differing", "report_rows", () =>
    caller.reconciliation.rows(rows({ actions: ["customer_differs"] })),
  );
  await measure("rows, every customer, first page", "report_rows", () =>
    caller.reconciliation.rows(rows({ actions: ["customer_differs", "customer_matches"] })),
  );
  await measure("rows, every customer, deep page", "report_rows", () =>
    caller.reconciliation.rows({
      ...rows({ actions: ["customer_differs", "customer_matches"] }),
      cursor: deepCustomer,
    }),
  );
  await measure("CSV, first chunk (500 lines)", "report_rows", async () =>
    reportCsvLines((await caller.reconciliation.rows({ tenantSlug, reportId, limit: 500 })).rows),
  );
  writeFileSync(plansFile, plans.join("\n"));
  console.log(`plans written to ${plansFile}`);

  // The whole download as its route reads it: 500 lines a page until the cursor ends.
  started = performance.now();
  let bytes = REPORT_CSV_HEADER.length;
  let pages = 0;
  for (let cursor: number | null = null; ; pages++) {
    const page = await caller.reconciliation.rows({ tenantSlug, reportId, cursor, limit: 500 });
    bytes += Buffer.byteLength(reportCsvLines(page.rows));
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `whole CSV: ${pages + 1} pages, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${seconds.toFixed(1)} s (${Math.round(lines / seconds)} lines/s)`,
  );
} finally {
  await client.end();
  cluster.stop();
}

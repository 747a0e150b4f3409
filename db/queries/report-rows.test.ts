// A report's lines page by page: each action's page merged in id order, only the report's own lines, any page size.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { addReportRows, createReport, finishReport, listReportRows, type ReportRowInput } from "./reports";

const database = registerTestDatabase();

/** A finished reconciliation: its mismatches of mixed kinds first, then a line per customer, as `reconcile` writes. */
async function finishedReport(tenantId: string, documents: number) {
  const db = database.db;
  const report = await createReport(db, {
    tenantId,
    kind: "reconciliation",
    trigger: "manual",
    requestedBy: null,
    scope: { from: null, to: null },
  });
  const kinds = ["missing_in_zoho", "total_differs", "missing_in_zoho", "not_linked"];
  const line = (action: string, n: number): ReportRowInput => ({
    entity: action.startsWith("customer") ? "customer" : "invoice",
    splynxId: String(n),
    label: `${action} ${n}`,
    action,
  });
  const rows = [
    ...Array.from({ length: documents }, (_, n) => line(kinds[n % kinds.length]!, n)),
    ...Array.from({ length: 7 }, (_, n) => line(n % 3 === 0 ? "customer_differs" : "customer_matches", n)),
  ];
  await addReportRows(db, { tenantId, reportId: report!.id, rows });
  await finishReport(db, { tenantId, reportId: report!.id, status: "succeeded" });
  return report!.id;
}

async function everyPage(input: { tenantId: string; reportId: string; actions?: string[] }, limit: number) {
  const labels: string[] = [];
  for (let after: number | null = null; ; ) {
    const page = await listReportRows(database.db, { ...input, after, limit });
    labels.push(...page.rows.map((row) => row.label!));
    if (page.nextCursor === null) return labels;
    after = page.nextCursor;
  }
}

describe("listReportRows", () => {
  it("pages a report's lines of several actions in the order they were written, and only that report's", async () => {
    const owner = await makePerson(database.db, "owner");
    const tenant = await makeTenant(database.db, owner);
    const other = await makeTenant(database.db, owner, "other");
    await finishedReport(tenant.id, 9);
    await finishedReport(other.id, 5);
    const reportId = await finishedReport(tenant.id, 10);
    const ofReport = { tenantId: tenant.id, reportId };

    const customers = ["customer_differs", "customer_matches"];
    const everyCustomer = ["differs 0", "matches 1", "matches 2", "differs 3", "matches 4", "matches 5", "differs 6"];
    for (const limit of [1, 2, 3, 100])
      expect(await everyPage({ ...ofReport, actions: customers }, limit)).toEqual(
        everyCustomer.map((label) => `customer_${label}`),
      );
    expect(await everyPage({ ...ofReport, actions: ["not_linked", "total_differs"] }, 2)).toEqual([
      "total_differs 1",
      "not_linked 3",
      "total_differs 5",
      "not_linked 7",
      "total_differs 9",
    ]);
    expect(await everyPage({ ...ofReport, actions: ["customer_differs"] }, 2)).toEqual([
      "customer_differs 0",
      "customer_differs 3",
      "customer_differs 6",
    ]);
    const whole = await everyPage(ofReport, 4);
    expect(whole).toHaveLength(17);
    expect(whole.slice(0, 3)).toEqual(["missing_in_zoho 0", "total_differs 1", "missing_in_zoho 2"]);
    expect(whole.at(-1)).toBe("customer_differs 6");
  });

  it("reads a first page of the newest report without walking the lines of older reports or other actions", async () => {
    const owner = await makePerson(database.db, "owner");
    const tenant = await makeTenant(database.db, owner);
    // Last week's 20,000 lines lie before this week's in id order; this week's customer lines after its mismatches.
    const older = await finishedReport(tenant.id, 0);
    const reportId = await finishedReport(tenant.id, 0);
    await database.db.execute(sql`delete from report_rows where report_id = ${reportId}`);
    const lines = (report: string, action: string, count: number) =>
      database.db.execute(sql`insert into report_rows (tenant_id, report_id, entity, action)
        select ${tenant.id}, ${report}, 'invoice', ${action} from generate_series(1, ${count}::int)`);
    await lines(older, "missing_in_zoho", 20_000);
    await lines(reportId, "missing_in_zoho", 20_000);
    await lines(reportId, "customer_matches", 100);
    await database.db.execute(sql`analyze report_rows`);
    const linesFetched = (actions?: string[]) =>
      database.db.transaction(async (tx) => {
        await listReportRows(tx, { tenantId: tenant.id, reportId, actions, limit: 5 });
        // This transaction's own counts: heap lines index scans fetched.
        const [read] = await tx
          .select({ fetched: sql<number>`idx_tup_fetch::int` })
          .from(sql`pg_stat_xact_user_tables`)
          .where(sql`relname = 'report_rows'`);
        return read!.fetched;
      });
    expect(await linesFetched()).toBeLessThan(1_000);
    expect(await linesFetched(["customer_differs", "customer_matches"])).toBeLessThan(1_000);
    expect(await linesFetched(["missing_in_zoho", "not_linked"])).toBeLessThan(1_000);
  });
});

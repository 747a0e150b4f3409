// The report procedures over a tenant connected to both sandboxes: a reconciliation made by its job in this process,
// one at a time, periods checked on the field; the schedule made once per period; the CSV export defused and scoped.
import { describe, expect, it, vi } from "vitest";
import { addReportRows, createReport, finishReport } from "@/db/queries/reports";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { createDueReconciliations } from "@/server/jobs/report-scheduler";
import type { Context } from "@/server/trpc/init";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

// The CSV route reads the session through the tRPC context; the test decides who is signed in.
const session = vi.hoisted(() => ({ context: null as Context | null }));
vi.mock("@/server/trpc/context", () => ({ createContext: async () => session.context }));
const { GET } = await import("@/app/api/t/[slug]/reports/[kind]/[reportId]/rows.csv/route");

const database = registerTestDatabase();

describe("report procedures", () => {
  it("makes a reconciliation in this process, one at a time, and the dashboard counts its mismatches", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    await expect(
      caller.reconciliation.start({ tenantSlug, from: "2026-11-01", to: "2026-10-01" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("The end is before the start") });
    const { reportId } = await caller.reconciliation.start({ tenantSlug, from: "2026-10-01", to: null });
    await expect(caller.reconciliation.start({ tenantSlug })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A reconciliation report is being made already; wait for it to finish.",
    });
    const report = await vi.waitFor(
      async () => {
        const found = await caller.reconciliation.get({ tenantSlug, reportId });
        if (found.status !== "succeeded") throw new Error(`still ${found.status}: ${found.error ?? ""}`);
        return found;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(report.scope).toEqual({ from: "2026-10-01", to: null });
    expect(report.zohoCalls).toBeGreaterThan(0);
    // Nothing synced yet: every document Splynx exports from October on is missing in Zoho.
    const missing = await caller.reconciliation.rows({ tenantSlug, reportId, actions: ["missing_in_zoho"], limit: 5 });
    expect(missing.rows).toHaveLength(5);
    expect(missing.rows[0]).toMatchObject({ message: "Not exported yet.", zohoId: null });
    const counted = await caller.reconciliation.mismatches({ tenantSlug });
    const summary = report.summary as { mismatches: Record<string, number> };
    expect(counted).toEqual({
      reportId,
      total: Object.values(summary.mismatches).reduce((sum, count) => sum + count, 0),
      finishedAt: report.finishedAt,
    });
    expect(counted!.total).toBeGreaterThan(5);
    await expect(caller.preview.start({ tenantSlug, entities: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Choose at least one entity"),
    });
  }, 60_000);

  it("schedules one reconciliation per tenant and week, none when switched off, and audits the change", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const now = new Date("2026-11-25T10:00:00Z");
    const mine = async () =>
      (await createDueReconciliations(database.db, now)).filter((report) => report.tenantId === tenant.id);
    const [first, ...others] = await mine();
    expect(others).toEqual([]);
    expect(await caller.reconciliation.get({ tenantSlug: tenant.slug, reportId: first!.reportId })).toMatchObject({
      trigger: "schedule",
      slot: "2026-W47",
      scope: { from: "2026-11-16", to: "2026-11-22" },
      status: "queued",
    });
    await finishReport(database.db, { tenantId: tenant.id, reportId: first!.reportId, status: "succeeded" });
    expect(await mine()).toEqual([]);
    expect(await caller.reconciliation.schedule({ tenantSlug: tenant.slug })).toBe("weekly");
    await caller.reconciliation.setSchedule({ tenantSlug: tenant.slug, schedule: "off" });
    expect(await mine()).toEqual([]);
    await caller.reconciliation.setSchedule({ tenantSlug: tenant.slug, schedule: "daily" });
    expect(await mine()).toHaveLength(1);
    const audit = await caller.audit.list({ tenantSlug: tenant.slug });
    expect(audit.entries.filter((entry) => entry.action === "settings.save").map((entry) => entry.details)).toEqual([
      { "reconciliation.schedule": { before: "off", after: "daily" } },
      { "reconciliation.schedule": { before: "weekly", after: "off" } },
    ]);
  }, 60_000);

  it("exports a report's lines as CSV with formula-looking cells defused, and 404 to another tenant's member", async () => {
    const owner = await makePerson(database.db, "owner");
    const tenant = await makeTenant(database.db, owner);
    const report = (await createReport(database.db, {
      tenantId: tenant.id,
      kind: "preview",
      trigger: "manual",
      requestedBy: owner.id,
      scope: { entities: ["customer"] },
    }))!;
    await addReportRows(database.db, {
      tenantId: tenant.id,
      reportId: report.id,
      rows: [
        { entity: "customer", splynxId: "7", label: "=HYPERLINK(1)", action: "create", message: 'Says "hi", twice' },
      ],
    });
    const download = async (person: typeof owner, slug: string) => {
      session.context = { db: database.db, person, ip: "203.0.113.7", origin: "http://localhost:3000" };
      const params = Promise.resolve({ slug, kind: "preview", reportId: report.id });
      const response = await GET(new Request("http://localhost/rows.csv"), { params });
      return { status: response.status, body: await response.text() };
    };
    expect(await download(owner, tenant.slug)).toEqual({
      status: 200,
      body: `entity,splynx_id,record,customer_id,zoho_id,action,message,details\ncustomer,7,'=HYPERLINK(1),,,create,"Says ""hi"", twice",\n`,
    });
    const stranger = await makePerson(database.db, "stranger");
    const own = await makeTenant(database.db, stranger);
    expect(await download(stranger, tenant.slug)).toEqual({ status: 404, body: "Not found." });
    expect(await download(stranger, own.slug)).toEqual({ status: 404, body: "Not found." });
  });
});

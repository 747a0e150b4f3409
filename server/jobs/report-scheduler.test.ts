// The reconciliation schedule reads each tenant's time zone: at one instant, a tenant on Kiritimati (UTC+14) gets the
// week that just ended there, while a tenant on UTC gets the week before, each scoped to its Monday-to-Sunday.
import { describe, expect, it } from "vitest";
import { saveSettingsRow } from "@/db/queries/sync";
import { getReport } from "@/db/queries/reports";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { createDueReconciliations } from "./report-scheduler";

const database = registerTestDatabase();

describe("createDueReconciliations", () => {
  it("makes each tenant's weekly report for the week that ended in its own time zone", async () => {
    const { db } = database;
    const [kiritimati, utc] = [await sandboxTenant(db), await sandboxTenant(db)];
    await saveSettingsRow(db, {
      tenantId: kiritimati.tenant.id,
      values: { general: { timeZone: "Pacific/Kiritimati" } },
    });
    const made = await createDueReconciliations(db, new Date("2026-11-29T10:30:00Z"));
    const reportOf = async (tenantId: string) => {
      const request = made.find((report) => report.tenantId === tenantId)!;
      return getReport(db, { tenantId, reportId: request.reportId });
    };
    expect(await reportOf(kiritimati.tenant.id)).toMatchObject({
      slot: "2026-W48",
      scope: { from: "2026-11-23", to: "2026-11-29" },
    });
    expect(await reportOf(utc.tenant.id)).toMatchObject({
      slot: "2026-W47",
      scope: { from: "2026-11-16", to: "2026-11-22" },
    });
  }, 30_000);
});

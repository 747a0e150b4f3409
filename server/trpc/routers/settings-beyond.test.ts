// Settings beyond the add-on (SPEC §3): existing Zoho matches and the quota reserve, saved, audited and refused by field.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";

const database = registerTestDatabase();

describe("settings beyond the add-on", () => {
  it("default to hold for review and a 20 % reserve, audit changes, and name the field at fault", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const caller = callerFor(db, owner);
    const { settings } = await caller.settings.get({ tenantSlug: tenant.slug });
    expect(settings.general).toMatchObject({ existingMatch: "hold", quotaReservePercent: 20 });

    await caller.settings.save({
      tenantSlug: tenant.slug,
      settings: { ...settings, general: { ...settings.general, existingMatch: "pair", quotaReservePercent: 35 } },
    });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "settings.save")));
    expect(entry!.details).toEqual({
      "general.existingMatch": { before: "hold", after: "pair" },
      "general.quotaReservePercent": { before: "20", after: "35" },
    });

    const refused = (await caller.settings
      .save({
        tenantSlug: tenant.slug,
        settings: { ...settings, general: { ...settings.general, quotaReservePercent: 95 } },
      })
      .catch((error: unknown) => error)) as { cause: { issues: { path: (string | number)[]; message: string }[] } };
    expect(refused.cause.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["settings.general.quotaReservePercent", "At most 90"],
    ]);
    expect((await caller.settings.get({ tenantSlug: tenant.slug })).settings.general).toMatchObject({
      existingMatch: "pair",
      quotaReservePercent: 35,
    });
  });
});

// What the dashboard's next step says through a new ISP's setup, and mapping changes in the audit log in words.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { writeLink } from "@/db/queries/sync";
import { auditLog, MAPPING_KINDS } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { readSettings } from "@/server/sync/settings";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

describe("the setup's next step", () => {
  it("names connecting Splynx first for a new ISP, with where to do it", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const setup = await callerFor(db, owner).mapping.setup({ tenantSlug: tenant.slug });
    expect(setup.steps.map((step) => step.id)).toEqual([
      "splynx",
      "zoho",
      "organization",
      "load",
      "map",
      "review",
      "sync",
      "schedule",
    ]);
    expect(setup.steps.filter((step) => step.done)).toEqual([]);
    expect(setup.next).toMatchObject({ id: "splynx", href: `/t/${tenant.slug}/connections/splynx` });
  });

  it("moves on step by step as the ISP is set up, and is done once the schedule is on", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const next = async () => (await caller.mapping.setup({ tenantSlug })).next?.id ?? null;
    // Saved but not tested: Splynx is still the step, and says to test it.
    expect((await caller.mapping.setup({ tenantSlug })).next).toMatchObject({
      id: "splynx",
      detail: "Test the Splynx connection until every check passes.",
    });
    await caller.splynx.test({ tenantSlug });
    expect(await next()).toBe("load");
    await caller.mapping.load({ tenantSlug });
    expect(await next()).toBe("map");
    for (const kind of MAPPING_KINDS) {
      const screen = await caller.mapping.screen({ tenantSlug, kind });
      const entries = screen.rows
        .filter((row) => row.suggestion ?? row.current)
        .map((row) => ({ splynxId: row.splynxId, zohoValue: row.suggestion?.value ?? row.current }));
      await caller.mapping.save({ tenantSlug, kind, entries });
    }
    expect(await next()).toBe("review");
    await caller.pairing.load({ tenantSlug });
    expect(await next()).toBe("sync");
    await writeLink(database.db, { tenantId: tenant.id, entity: "customer", splynxId: "1", state: "synced" });
    expect(await next()).toBe("schedule");
    const { settings } = await caller.settings.get({ tenantSlug });
    await caller.settings.save({
      tenantSlug,
      settings: { ...settings, schedule: { ...settings.schedule, invoices: true } },
    });
    expect(await caller.mapping.setup({ tenantSlug })).toMatchObject({ next: null });
  });
});

describe("mapping changes in the audit log", () => {
  it("names the Splynx record and the Zoho one in words, and payment modes as Zoho shows them", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    await caller.mapping.load({ tenantSlug });
    const categories = await caller.mapping.screen({ tenantSlug, kind: "category_item" });
    const internet = categories.rows.find((row) => row.name === "Internet 100M")!;
    await caller.mapping.save({
      tenantSlug,
      kind: "category_item",
      entries: [{ splynxId: internet.splynxId, zohoValue: internet.suggestion!.value }],
    });
    const modes = await caller.mapping.screen({ tenantSlug, kind: "method_mode" });
    expect(readSettings({}).paymentsExport.paymentModes).toHaveLength(7);
    expect(modes.targets.map((target) => [target.value, target.label])).toEqual([
      ["cash", "Cash"],
      ["check", "Check"],
      ["creditcard", "Credit Card"],
      ["banktransfer", "Bank Transfer"],
      ["bankremittance", "Bank Remittance"],
      ["autotransaction", "Auto Transaction"],
      ["others", "Others"],
    ]);
    await caller.mapping.save({
      tenantSlug,
      kind: "method_mode",
      entries: [{ splynxId: "*", zohoValue: "banktransfer" }],
    });
    await caller.mapping.save({
      tenantSlug,
      kind: "category_item",
      entries: [{ splynxId: internet.splynxId, zohoValue: null }],
    });
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "mapping.save")))
      .orderBy(auditLog.id);
    expect(entries.map((entry) => [entry.target, entry.details])).toEqual([
      ["Accounting categories", { "Internet 100M": { before: "unmapped", after: "Zoho item Internet 100M" } }],
      [
        "Payment modes",
        { "Default (any method not mapped)": { before: "unmapped", after: "Zoho payment mode Bank Transfer" } },
      ],
      ["Accounting categories", { "Internet 100M": { before: "Zoho item Internet 100M", after: "unmapped" } }],
    ]);
  });
});

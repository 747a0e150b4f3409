// Mapping against both sandboxes: load, suggestions, save, a vanished target, the checklist, reset.
import { describe, expect, it } from "vitest";
import { callerFor, makeMember } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { MAPPING_KINDS } from "@/db/schema";

const database = registerTestDatabase();

describe("mapping", () => {
  it("loads reference data, suggests, saves, and the checklist follows", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const before = await caller.mapping.checklist({ tenantSlug });
    expect(before.filter((item) => !item.done).map((item) => item.id)).toEqual(
      expect.arrayContaining(["splynx", "loaded", "mapped:category_item"]),
    );

    const loaded = await caller.mapping.load({ tenantSlug });
    expect(loaded.records).toBeGreaterThan(30);
    const categories = await caller.mapping.screen({ tenantSlug, kind: "category_item" });
    expect(categories.rows.find((row) => row.name === "Internet 100M")).toMatchObject({
      used: true,
      current: null,
      suggestion: { label: "Internet 100M" },
    });
    expect(categories.rows.find((row) => row.name === "Refund")).toMatchObject({ used: false, suggestion: null });
    expect(categories.unmappedUsed).toBeGreaterThan(0);
    const taxes = await caller.mapping.screen({ tenantSlug, kind: "tax" });
    expect(taxes.rows.find((row) => row.name === "VAT 7.5%")?.suggestion?.label).toBe("VAT 7.5% (7.5%)");

    for (const kind of MAPPING_KINDS) {
      const screen = await caller.mapping.screen({ tenantSlug, kind });
      const entries = screen.rows
        .filter((row) => row.suggestion)
        .map((row) => ({ splynxId: row.splynxId, zohoValue: row.suggestion!.value }));
      await caller.mapping.save({ tenantSlug, kind, entries });
      expect((await caller.mapping.screen({ tenantSlug, kind })).unmappedUsed, kind).toBe(0);
    }
    await caller.splynx.test({ tenantSlug });
    expect((await caller.mapping.checklist({ tenantSlug })).every((item) => item.done)).toBe(true);

    await expect(
      caller.mapping.save({
        tenantSlug,
        kind: "category_item",
        entries: [{ splynxId: "6", zohoValue: "not-an-item" }],
      }),
    ).rejects.toThrow("not one of the Zoho choices");

    // Reloading keeps mappings, and flags one whose Zoho item is gone.
    const organization = [...sandboxZoho(tenant.id).store.organizations.values()][0]!;
    const internet = [...organization.items.values()].find((item) => item.name === "Internet 1G")!;
    organization.items.delete(String(internet.item_id));
    try {
      const reloaded = await caller.mapping.load({ tenantSlug });
      expect(reloaded.vanished).toEqual(["category_item:Internet 1G"]);
      expect(
        (await caller.mapping.screen({ tenantSlug, kind: "category_item" })).rows.find(
          (row) => row.name === "Internet 1G",
        ),
      ).toMatchObject({ current: null, currentMissing: true });
      expect(
        (await caller.mapping.checklist({ tenantSlug })).find((item) => item.id === "mapped:category_item"),
      ).toMatchObject({ done: false, detail: "1 unmapped" });
    } finally {
      organization.items.set(String(internet.item_id), internet);
    }
  });

  it("resets on a typed confirmation, optionally forgetting the organization, and is for admins only", async () => {
    const { db } = database;
    const { tenant, caller, person } = await sandboxTenant(db);
    const tenantSlug = tenant.slug;
    await caller.mapping.load({ tenantSlug });
    const viewer = await makeMember(db, { tenantId: tenant.id, invitedBy: person.id, role: "viewer" });
    const asViewer = callerFor(db, viewer);
    await expect(asViewer.mapping.load({ tenantSlug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asViewer.mapping.reset({ tenantSlug, confirmation: "RESET", forgetOrganization: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asViewer.mapping.screen({ tenantSlug, kind: "tax" })).rows.length).toBeGreaterThan(0);

    await expect(
      caller.mapping.reset({ tenantSlug, confirmation: "reset", forgetOrganization: false }),
    ).rejects.toThrow('Type "RESET"');
    await caller.mapping.reset({ tenantSlug, confirmation: "RESET", forgetOrganization: true });
    expect((await caller.mapping.screen({ tenantSlug, kind: "tax" })).rows).toEqual([]);
    expect(await caller.zoho.connection({ tenantSlug })).toMatchObject({ organizationId: null });
  });
});

// Links belong to one Zoho organization: choosing another one after a reconnect or a reset erases them, only when confirmed.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { cacheSummary } from "@/db/queries/pairing";
import { createRun } from "@/db/queries/runs";
import { writeLink } from "@/db/queries/sync";
import { auditLog, syncLinks, syncRuns } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { completeZohoConnect, SANDBOX_REGION, startZohoConnect } from "@/server/zoho/connection";
import { sandboxConsent, sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

/** Connects again through the consent page, as an admin does after "needs reconnect": the organization is asked again. */
async function reconnect(db: Db, tenant: { id: string; slug: string }, person: { id: string; email: string }) {
  const origin = "http://localhost:3000";
  const authorize = await startZohoConnect(db, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    personId: person.id,
    region: SANDBOX_REGION,
    origin,
  });
  await completeZohoConnect(db, { actor: person, query: await sandboxConsent(tenant.id, authorize), origin });
}

async function linkedTenant(db: Db) {
  const setup = await sandboxTenant(db);
  const tenantSlug = setup.tenant.slug;
  const [ltd, holdings] = await setup.caller.zoho.organizations({ tenantSlug });
  await setup.caller.pairing.load({ tenantSlug });
  // Two customers synced into Demo ISP Ltd, a third failed there before it reached Zoho.
  for (const [splynxId, zohoId] of [
    ["1", "2646610000000100001"],
    ["2", "2646610000000100002"],
  ] as const)
    await writeLink(db, {
      tenantId: setup.tenant.id,
      entity: "customer",
      splynxId,
      state: "synced",
      zohoId,
      organizationId: ltd!.organizationId,
    });
  await writeLink(db, {
    tenantId: setup.tenant.id,
    entity: "customer",
    splynxId: "3",
    state: "failed",
    message: "Internal error",
  });
  const links = () => db.select().from(syncLinks).where(eq(syncLinks.tenantId, setup.tenant.id));
  return { ...setup, tenantSlug, ltd: ltd!, holdings: holdings!, links };
}

describe("choosing the Zoho organization", () => {
  it("after a reconnect, keeps the links for the same organization and erases them for another only when confirmed", async () => {
    const { db } = database;
    const { tenant, person, caller, tenantSlug, ltd, holdings, links } = await linkedTenant(db);

    await reconnect(db, tenant, person);
    expect(await caller.zoho.connection({ tenantSlug })).toMatchObject({ organizationId: null });
    const refused = await caller.zoho
      .chooseOrganization({ tenantSlug, organizationId: holdings.organizationId })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: "2 records are linked to Demo ISP Ltd; they will be synced again as new records in Demo ISP Holdings.",
    });
    expect(await links()).toHaveLength(3);
    expect(await caller.zoho.connection({ tenantSlug })).toMatchObject({ organizationId: null });

    // Back to the organization the links point into: nothing to erase, nothing asked.
    expect(await caller.zoho.chooseOrganization({ tenantSlug, organizationId: ltd.organizationId })).toEqual({
      linksErased: 0,
    });
    expect(await links()).toHaveLength(3);

    await reconnect(db, tenant, person);
    // A run still going would write links of the old organization.
    const run = await createRun(db, {
      tenantId: tenant.id,
      trigger: "manual",
      requestedBy: person.id,
      entities: ["customer"],
    });
    await expect(
      caller.zoho.chooseOrganization({ tenantSlug, organizationId: holdings.organizationId, eraseLinks: true }),
    ).rejects.toThrow("A sync is running");
    await db.update(syncRuns).set({ status: "cancelled" }).where(eq(syncRuns.id, run.id));

    expect(
      await caller.zoho.chooseOrganization({ tenantSlug, organizationId: holdings.organizationId, eraseLinks: true }),
    ).toEqual({ linksErased: 2 });
    // The customer that never reached Zoho keeps its failure.
    expect((await links()).map((link) => [link.splynxId, link.state])).toEqual([["3", "failed"]]);
    expect(await cacheSummary(db, tenant.id)).toMatchObject({ contacts: 0 });
    expect(await caller.zoho.connection({ tenantSlug })).toMatchObject({
      organizationId: holdings.organizationId,
      organizationName: "Demo ISP Holdings",
    });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, tenant.id),
          eq(auditLog.action, "zoho.organization_choose"),
          eq(auditLog.target, "Demo ISP Holdings"),
        ),
      );
    expect(audit!.details).toEqual({
      organizationId: holdings.organizationId,
      linksErased: 2,
      linkedBefore: "2 records are linked to Demo ISP Ltd",
    });
  });

  it('after a reset that forgot the organization, asks the same; the reset\'s "also all links" erases them at once', async () => {
    const { db } = database;
    const { tenant, caller, tenantSlug, holdings, links } = await linkedTenant(db);
    await expect(
      caller.zoho.chooseOrganization({ tenantSlug, organizationId: holdings.organizationId }),
    ).rejects.toThrow("accounting data reset first");

    expect(await caller.mapping.linkedRecords({ tenantSlug })).toEqual({
      records: 2,
      description: "2 records are linked to Demo ISP Ltd",
    });
    await caller.mapping.reset({ tenantSlug, confirmation: "RESET", forgetOrganization: true });
    expect(await links()).toHaveLength(3);
    await expect(
      caller.zoho.chooseOrganization({ tenantSlug, organizationId: holdings.organizationId }),
    ).rejects.toThrow(
      "2 records are linked to Demo ISP Ltd; they will be synced again as new records in Demo ISP Holdings.",
    );

    expect(
      await caller.mapping.reset({ tenantSlug, confirmation: "RESET", forgetOrganization: false, eraseLinks: true }),
    ).toMatchObject({ linksErased: 3 });
    expect(await links()).toEqual([]);
    const resets = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "mapping.reset")))
      .orderBy(auditLog.id);
    expect(resets.map((entry) => entry.details)).toEqual([
      { mappings: 0, forgetOrganization: true, eraseLinks: false },
      {
        mappings: 0,
        forgetOrganization: false,
        eraseLinks: true,
        linksErased: 3,
        linkedBefore: "2 records are linked to Demo ISP Ltd",
      },
    ]);
    expect(await caller.zoho.chooseOrganization({ tenantSlug, organizationId: holdings.organizationId })).toEqual({
      linksErased: 0,
    });
  });
});

// Deleting a tenant revokes its Zoho grant at Zoho (a simulator over HTTP), or keeps the tenant when Zoho can't be told.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getPerson } from "@/db/queries/people";
import { listMembers } from "@/db/queries/tenants";
import { tenants } from "@/db/schema";
import { callerFor, makePerson } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { env } from "@/server/env";
import { refreshAccessToken } from "@/server/zoho/oauth";
import { connectedTenant, FIXTURE_APP, startZoho } from "@/server/zoho/testing/zoho-fixture";
import { TENANT_CREATION_POLICY } from "./tenants";

const database = registerTestDatabase();
const closers: (() => Promise<void>)[] = [];
const sharedApp = env().zohoApp;
afterEach(async () => {
  env().zohoApp = sharedApp;
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A tenant connected to a fresh Zoho simulator through the operator's app, and its owner's caller. */
async function connectedOwner(db: Db) {
  const zoho = await startZoho();
  closers.push(zoho.server.close);
  env().zohoApp = FIXTURE_APP;
  const { tenant, grant } = await connectedTenant(db, zoho.url);
  const [owner] = await listMembers(db, { tenantId: tenant.id });
  return { zoho, tenant, grant, asOwner: callerFor(db, (await getPerson(db, owner!.personId))!) };
}

const tenantExists = async (db: Db, id: string) =>
  (await db.select().from(tenants).where(eq(tenants.id, id))).length === 1;

describe("deleting a tenant", () => {
  it("revokes its Zoho refresh token, so the grant is dead at Zoho, not just forgotten here", async () => {
    const { db } = database;
    const { zoho, tenant, grant, asOwner } = await connectedOwner(db);
    await asOwner.tenants.delete({ tenantSlug: tenant.slug, confirmation: tenant.slug });

    expect(await tenantExists(db, tenant.id)).toBe(false);
    await expect(
      refreshAccessToken({ fetch, accountsServer: zoho.url, ...FIXTURE_APP, refreshToken: grant.refreshToken! }),
    ).rejects.toMatchObject({ name: "ZohoTokenError", kind: "rejected" });
  });

  it("keeps the tenant, saying why, when Zoho cannot be reached to revoke", async () => {
    const { db } = database;
    const { zoho, tenant, asOwner } = await connectedOwner(db);
    await zoho.server.close();
    await expect(asOwner.tenants.delete({ tenantSlug: tenant.slug, confirmation: tenant.slug })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^Zoho could not revoke the connection, so the tenant was kept; try again: /),
    });
    expect(await tenantExists(db, tenant.id)).toBe(true);
  });
});

describe("creating tenants", () => {
  it("refuses one person's creations past the hour's limit, while others still create theirs", async () => {
    const { db } = database;
    const [scripted, other] = [await makePerson(db, "scripted"), await makePerson(db, "other")];
    const create = (person: typeof scripted, index: number) =>
      callerFor(db, person).tenants.create({ name: `Workspace ${index}`, slug: `${person.name}-ws-${index}` });
    for (let index = 0; index < TENANT_CREATION_POLICY.maxAttempts; index++) await create(scripted, index);
    await expect(create(scripted, TENANT_CREATION_POLICY.maxAttempts)).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "You created many workspaces this hour: wait an hour.",
    });
    await expect(create(other, 0)).resolves.toEqual({ slug: "other-ws-0" });
  });
});

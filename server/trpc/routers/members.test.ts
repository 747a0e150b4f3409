// Members through the API: roles, the audit of changes, and the last owner kept (its races are in db/queries/tenants.test.ts).
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { acceptInvitation, createInvitation } from "@/db/queries/invitations";
import { auditLog } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";

const database = registerTestDatabase();

async function tenantWith(db: Db, role: "viewer" | "admin" | "owner") {
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner);
  const member = await makePerson(db, role);
  const invitation = await createInvitation(db, {
    tenantId: tenant.id,
    email: member.email,
    role,
    invitedBy: owner.id,
  });
  await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: member }));
  const members = await callerFor(db, owner).members.list({ tenantSlug: tenant.slug });
  const membershipOf = (personId: string) => members.find((row) => row.personId === personId)!.membershipId;
  return { owner, tenant, member, membershipOf };
}

describe("members", () => {
  it("lets an owner change a role and records before and after", async () => {
    const { db } = database;
    const { owner, tenant, member, membershipOf } = await tenantWith(db, "viewer");
    await callerFor(db, owner).members.changeRole({
      tenantSlug: tenant.slug,
      membershipId: membershipOf(member.id),
      role: "admin",
    });
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "member.role_change")));
    expect(entry).toMatchObject({
      actorId: owner.id,
      target: member.email,
      details: { role: { before: "viewer", after: "admin" } },
    });
  });

  it("refuses admin and owner actions to a viewer", async () => {
    const { db } = database;
    const { tenant, member, owner, membershipOf } = await tenantWith(db, "viewer");
    const asViewer = callerFor(db, member);
    await expect(
      asViewer.members.invite({ tenantSlug: tenant.slug, email: "x@example.test", role: "owner" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asViewer.members.changeRole({ tenantSlug: tenant.slug, membershipId: membershipOf(member.id), role: "owner" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.tenants.rename({ tenantSlug: tenant.slug, name: "Mine now" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(asViewer.audit.list({ tenantSlug: tenant.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      asViewer.members.remove({ tenantSlug: tenant.slug, membershipId: membershipOf(owner.id) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await asViewer.tenants.current({ tenantSlug: tenant.slug })).toMatchObject({
      role: "viewer",
      memberCount: 2,
    });
  });

  it("never leaves a tenant without an owner", async () => {
    const { db } = database;
    const { owner, tenant, member, membershipOf } = await tenantWith(db, "admin");
    const asOwner = callerFor(db, owner);
    await expect(
      asOwner.members.changeRole({ tenantSlug: tenant.slug, membershipId: membershipOf(owner.id), role: "admin" }),
    ).rejects.toThrow("A tenant needs at least one owner: make someone else owner first.");
    await expect(asOwner.members.leave({ tenantSlug: tenant.slug })).rejects.toThrow(
      "A tenant needs at least one owner: make someone else owner first.",
    );
    await asOwner.members.changeRole({ tenantSlug: tenant.slug, membershipId: membershipOf(member.id), role: "owner" });
    await asOwner.members.leave({ tenantSlug: tenant.slug });
    await expect(asOwner.tenants.current({ tenantSlug: tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("stops a removed member at their next request", async () => {
    const { db } = database;
    const { owner, tenant, member, membershipOf } = await tenantWith(db, "admin");
    const asMember = callerFor(db, member);
    await asMember.tenants.current({ tenantSlug: tenant.slug });
    await callerFor(db, owner).members.remove({ tenantSlug: tenant.slug, membershipId: membershipOf(member.id) });
    await expect(asMember.tenants.current({ tenantSlug: tenant.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

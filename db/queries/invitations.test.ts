import { describe, expect, it } from "vitest";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { useTestDatabase } from "@/db/testing/test-database";
import { acceptInvitation, createInvitation, describeInvitation, INVITATION_TTL_MS } from "./invitations";
import { findMembership } from "./tenants";

const database = useTestDatabase();

async function invitedPair(role: "viewer" | "admin" = "viewer", now?: Date) {
  const { db } = database;
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner);
  const guest = await makePerson(db, "guest");
  const invitation = await createInvitation(db, { tenantId: tenant.id, email: guest.email, role, invitedBy: owner.id, now });
  return { owner, tenant, guest, invitation };
}

describe("invitations", () => {
  it("adds the invited person with the invited role, once", async () => {
    const { db } = database;
    const { tenant, guest, invitation } = await invitedPair("admin");
    const joined = await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest }));
    expect(joined).toMatchObject({ tenant: { id: tenant.id }, role: "admin" });
    expect(await findMembership(db, { slug: tenant.slug, personId: guest.id })).toMatchObject({ role: "admin" });
    await expect(db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest }))).rejects.toThrow("already been used");
    expect(await describeInvitation(db, { token: invitation.token })).toEqual({ ok: false, problem: "This invitation has already been used." });
  });

  it("can be used by only one of two racing requests", async () => {
    const { db } = database;
    const { guest, invitation } = await invitedPair();
    const attempts = await Promise.allSettled([1, 2].map(() => db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest }))));
    expect(attempts.filter((attempt) => attempt.status === "fulfilled")).toHaveLength(1);
  });

  it("expires", async () => {
    const { db } = database;
    const created = new Date("2026-01-01T00:00:00Z");
    const { guest, invitation } = await invitedPair("viewer", created);
    const afterExpiry = new Date(created.getTime() + INVITATION_TTL_MS + 1);
    expect(await describeInvitation(db, { token: invitation.token, now: afterExpiry })).toMatchObject({ ok: false, problem: expect.stringContaining("expired") });
    await expect(db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest, now: afterExpiry }))).rejects.toThrow("expired");
  });

  it("is refused to a person with another e-mail and to an unknown token", async () => {
    const { db } = database;
    const { invitation } = await invitedPair();
    const stranger = await makePerson(db, "stranger");
    await expect(db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: stranger }))).rejects.toThrow("Sign in with that e-mail");
    await expect(db.transaction((tx) => acceptInvitation(tx, { token: "x".repeat(43), person: stranger }))).rejects.toThrow("not valid");
  });

  it("can be withdrawn by the owner before use", async () => {
    const { db } = database;
    const { owner, tenant } = await invitedPair();
    const asOwner = callerFor(db, owner);
    const { path } = await asOwner.members.invite({ tenantSlug: tenant.slug, email: "late@example.test", role: "viewer" });
    const [open] = (await asOwner.members.invitations({ tenantSlug: tenant.slug })).filter((row) => row.email === "late@example.test");
    await asOwner.members.revokeInvitation({ tenantSlug: tenant.slug, invitationId: open!.id });
    const token = path.split("/").pop()!;
    expect(await describeInvitation(db, { token })).toEqual({ ok: false, problem: "This invitation was withdrawn." });
    await expect(asOwner.members.invite({ tenantSlug: tenant.slug, email: owner.email, role: "viewer" })).rejects.toThrow("already a member");
  });
});

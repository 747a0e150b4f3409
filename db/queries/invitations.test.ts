// Invitations: single use, expiring, for one e-mail, within one tenant; two accepts interleaved on PostgreSQL admit one.
import { describe, expect, it } from "vitest";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { blockedOnLock, gate, tracked } from "@/db/testing/lock-barrier";
import { registerTestDatabase } from "@/db/testing/test-database";
import {
  acceptInvitation,
  createInvitation,
  describeInvitation,
  INVITATION_TTL_MS,
  listOpenInvitations,
  revokeInvitation,
} from "./invitations";
import { findMembership, listMembers } from "./tenants";

const database = registerTestDatabase();

async function invitedPair(role: "viewer" | "admin" = "viewer", now?: Date) {
  const { db } = database;
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner);
  const guest = await makePerson(db, "guest");
  const invitation = await createInvitation(db, {
    tenantId: tenant.id,
    email: guest.email,
    role,
    invitedBy: owner.id,
    now,
  });
  return { owner, tenant, guest, invitation };
}

describe("invitations", () => {
  it("adds the invited person with the invited role, once", async () => {
    const { db } = database;
    const { tenant, guest, invitation } = await invitedPair("admin");
    const joined = await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest }));
    expect(joined).toMatchObject({ tenant: { id: tenant.id }, role: "admin" });
    expect(await findMembership(db, { slug: tenant.slug, personId: guest.id })).toMatchObject({ role: "admin" });
    await expect(
      db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest })),
    ).rejects.toThrow("This invitation has already been used.");
    expect(await describeInvitation(db, { token: invitation.token })).toEqual({
      ok: false,
      problem: "This invitation has already been used.",
    });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "holds a second accept at the first one's claim, then refuses it (PostgreSQL)",
    async () => {
      const { db } = database;
      const { tenant, guest, invitation } = await invitedPair();
      const claimed = gate();
      const commitFirst = gate();
      const first = db.transaction(async (tx) => {
        await acceptInvitation(tx, { token: invitation.token, person: guest });
        claimed.open();
        await commitFirst.opened;
      });
      await claimed.opened;
      const second = tracked(db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest })));
      expect(await blockedOnLock(db, second.settled)).toBe("blocked");
      commitFirst.open();
      await first;
      await expect(second.promise).rejects.toThrow("This invitation has already been used.");
      expect((await listMembers(db, { tenantId: tenant.id })).map((member) => member.personId)).toContain(guest.id);
      expect(await listMembers(db, { tenantId: tenant.id })).toHaveLength(2);
    },
  );

  it("expires", async () => {
    const { db } = database;
    const created = new Date("2026-01-01T00:00:00Z");
    const { guest, invitation } = await invitedPair("viewer", created);
    const afterExpiry = new Date(created.getTime() + INVITATION_TTL_MS + 1);
    expect(await describeInvitation(db, { token: invitation.token, now: afterExpiry })).toMatchObject({
      ok: false,
      problem: expect.stringContaining("expired"),
    });
    await expect(
      db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest, now: afterExpiry })),
    ).rejects.toThrow("This invitation has expired; ask for a new one.");
    // Up to its last millisecond it still works.
    const lastMoment = new Date(created.getTime() + INVITATION_TTL_MS - 1);
    expect(await describeInvitation(db, { token: invitation.token, now: lastMoment })).toMatchObject({
      ok: true,
      email: guest.email,
      role: "viewer",
    });
    expect(
      await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: guest, now: lastMoment })),
    ).toMatchObject({ role: "viewer" });
  });

  it("is listed, revoked and described only within its own tenant", async () => {
    const { db } = database;
    const { tenant, invitation, guest } = await invitedPair("admin");
    const attacker = await makePerson(db, "attacker");
    const own = await makeTenant(db, attacker, "attacker");
    expect(await listOpenInvitations(db, { tenantId: own.id })).toEqual([]);
    await expect(revokeInvitation(db, { tenantId: own.id, invitationId: invitation.id })).rejects.toThrow(
      "No open invitation with this id in this tenant.",
    );
    expect(await listOpenInvitations(db, { tenantId: tenant.id })).toEqual([
      {
        id: invitation.id,
        email: guest.email,
        role: "admin",
        createdAt: expect.any(Date),
        expiresAt: invitation.expiresAt,
      },
    ]);
    expect(await describeInvitation(db, { token: invitation.token })).toEqual({
      ok: true,
      email: guest.email,
      role: "admin",
      tenantName: tenant.name,
    });
    expect(await revokeInvitation(db, { tenantId: tenant.id, invitationId: invitation.id })).toEqual({
      id: invitation.id,
      email: guest.email,
    });
    await expect(revokeInvitation(db, { tenantId: tenant.id, invitationId: invitation.id })).rejects.toThrow(
      "No open invitation with this id in this tenant.",
    );
    expect(await listOpenInvitations(db, { tenantId: tenant.id })).toEqual([]);
  });

  it("is refused to a person with another e-mail and to an unknown token", async () => {
    const { db } = database;
    const { invitation, guest } = await invitedPair();
    const stranger = await makePerson(db, "stranger");
    await expect(
      db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: stranger })),
    ).rejects.toThrow(`This invitation is for ${guest.email}. Sign in with that e-mail to accept it.`);
    await expect(
      db.transaction((tx) => acceptInvitation(tx, { token: "x".repeat(43), person: stranger })),
    ).rejects.toThrow("This invitation link is not valid.");
  });

  it("can be withdrawn by the owner before use", async () => {
    const { db } = database;
    const { owner, tenant } = await invitedPair();
    const asOwner = callerFor(db, owner);
    const { path } = await asOwner.members.invite({
      tenantSlug: tenant.slug,
      email: "late@example.test",
      role: "viewer",
    });
    const [open] = (await asOwner.members.invitations({ tenantSlug: tenant.slug })).filter(
      (row) => row.email === "late@example.test",
    );
    await asOwner.members.revokeInvitation({ tenantSlug: tenant.slug, invitationId: open!.id });
    const token = path.split("/").pop()!;
    expect(await describeInvitation(db, { token })).toEqual({ ok: false, problem: "This invitation was withdrawn." });
    await expect(
      asOwner.members.invite({ tenantSlug: tenant.slug, email: owner.email, role: "viewer" }),
    ).rejects.toThrow(`${owner.email} is already a member of this tenant.`);
  });
});

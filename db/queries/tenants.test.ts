// Tenants and memberships: every query stays inside its tenant, and no interleaving of two transactions removes the
// last owner (on PostgreSQL, with the second transaction held at the first one's lock).
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { blockedOnLock, gate, tracked } from "@/db/testing/lock-barrier";
import { registerTestDatabase } from "@/db/testing/test-database";
import { createInvitation, acceptInvitation } from "./invitations";
import {
  changeMemberRole,
  countMembers,
  createTenant,
  deleteTenant,
  findMember,
  findMembership,
  listMembers,
  listTenantsForPerson,
  removeMember,
  renameTenant,
} from "./tenants";

const database = registerTestDatabase();

async function join(
  db: Db,
  tenant: { id: string },
  invitedBy: { id: string },
  role: "viewer" | "admin" | "owner",
  label: string,
) {
  const person = await makePerson(db, label);
  const invitation = await createInvitation(db, {
    tenantId: tenant.id,
    email: person.email,
    role,
    invitedBy: invitedBy.id,
  });
  await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person }));
  return person;
}

/** A tenant with two owners, and the membership id of each. */
async function twoOwners(db: Db) {
  const first = await makePerson(db, "first-owner");
  const tenant = await makeTenant(db, first, "owners");
  const second = await join(db, tenant, first, "owner", "second-owner");
  const members = await listMembers(db, { tenantId: tenant.id });
  const membershipOf = (person: { id: string }) =>
    members.find((member) => member.personId === person.id)!.membershipId;
  return { tenant, first, second, firstMembership: membershipOf(first), secondMembership: membershipOf(second) };
}

const owners = async (db: Db, tenantId: string) =>
  (await listMembers(db, { tenantId })).filter((member) => member.role === "owner").map((member) => member.personId);

describe("tenant queries", () => {
  it("creates a tenant with its owner, and refuses a taken address", async () => {
    const { db } = database;
    const owner = await makePerson(db, "creator");
    const tenant = await createTenant(db, {
      name: "Creator ISP",
      slug: `creator-${owner.id.slice(0, 8)}`,
      ownerId: owner.id,
    });
    expect(await findMembership(db, { slug: tenant.slug, personId: owner.id })).toEqual({
      id: tenant.id,
      slug: tenant.slug,
      name: "Creator ISP",
      role: "owner",
      membershipId: expect.any(String),
    });
    await expect(createTenant(db, { name: "Other", slug: tenant.slug, ownerId: owner.id })).rejects.toThrow(
      `The address "${tenant.slug}" is taken; choose another.`,
    );
  });

  it("lists a person's tenants by name with their role there, and nobody else's", async () => {
    const { db } = database;
    const person = await makePerson(db, "lister");
    const stranger = await makePerson(db, "stranger");
    const zulu = await createTenant(db, {
      name: "Zulu ISP",
      slug: `zulu-${person.id.slice(0, 8)}`,
      ownerId: person.id,
    });
    const alpha = await createTenant(db, {
      name: "Alpha ISP",
      slug: `alpha-${person.id.slice(0, 8)}`,
      ownerId: stranger.id,
    });
    await makeTenant(db, stranger, "not-mine");
    await join(db, alpha, stranger, "viewer", "another-member");
    const invitation = await createInvitation(db, {
      tenantId: alpha.id,
      email: person.email,
      role: "viewer",
      invitedBy: stranger.id,
    });
    await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person }));
    expect(await listTenantsForPerson(db, person.id)).toEqual([
      { id: alpha.id, slug: alpha.slug, name: "Alpha ISP", role: "viewer" },
      { id: zulu.id, slug: zulu.slug, name: "Zulu ISP", role: "owner" },
    ]);
  });

  it("finds a membership only for a member of that very tenant", async () => {
    const { db } = database;
    const { tenant, first } = await twoOwners(db);
    const outsider = await makePerson(db, "outsider");
    const elsewhere = await makeTenant(db, outsider, "elsewhere");
    expect(await findMembership(db, { slug: tenant.slug, personId: outsider.id })).toBeUndefined();
    expect(await findMembership(db, { slug: elsewhere.slug, personId: first.id })).toBeUndefined();
    expect(await findMembership(db, { slug: "no-such-tenant", personId: first.id })).toBeUndefined();
  });

  it("renames, counts and deletes only the tenant named", async () => {
    const { db } = database;
    const { tenant, first } = await twoOwners(db);
    const other = await makeTenant(db, first, "kept");
    await renameTenant(db, { tenantId: tenant.id, name: "Renamed ISP" });
    expect(await findMembership(db, { slug: tenant.slug, personId: first.id })).toMatchObject({ name: "Renamed ISP" });
    expect(await findMembership(db, { slug: other.slug, personId: first.id })).toMatchObject({ name: "kept ISP" });
    expect([await countMembers(db, { tenantId: tenant.id }), await countMembers(db, { tenantId: other.id })]).toEqual([
      2, 1,
    ]);
    await deleteTenant(db, { tenantId: tenant.id });
    expect(await listTenantsForPerson(db, first.id)).toEqual([
      { id: other.id, slug: other.slug, name: "kept ISP", role: "owner" },
    ]);
    expect(await countMembers(db, { tenantId: tenant.id })).toBe(0);
  });

  it("lists members by e-mail with their role", async () => {
    const { db } = database;
    const owner = await makePerson(db, "zz-owner");
    const tenant = await makeTenant(db, owner);
    const viewer = await join(db, tenant, owner, "viewer", "aa-viewer");
    const listed = await listMembers(db, { tenantId: tenant.id });
    expect(listed.map(({ personId, email, name, role }) => ({ personId, email, name, role }))).toEqual([
      { personId: viewer.id, email: viewer.email, name: "aa-viewer", role: "viewer" },
      { personId: owner.id, email: owner.email, name: "zz-owner", role: "owner" },
    ]);
    expect(listed.every((member) => member.joinedAt instanceof Date)).toBe(true);
  });

  it("never finds, changes or removes a member through another tenant's id", async () => {
    const { db } = database;
    const victim = await twoOwners(db);
    const attacker = await makePerson(db, "attacker");
    const own = await makeTenant(db, attacker, "attacker");
    const refused = "No such member in this tenant.";
    await expect(findMember(db, { tenantId: own.id, membershipId: victim.secondMembership })).rejects.toThrow(refused);
    await expect(
      db.transaction((tx) =>
        changeMemberRole(tx, { tenantId: own.id, membershipId: victim.secondMembership, role: "viewer" }),
      ),
    ).rejects.toThrow(refused);
    await expect(
      db.transaction((tx) => removeMember(tx, { tenantId: own.id, membershipId: victim.secondMembership })),
    ).rejects.toThrow(refused);
    expect((await owners(db, victim.tenant.id)).sort()).toEqual([victim.first.id, victim.second.id].sort());
    expect(await findMember(db, { tenantId: victim.tenant.id, membershipId: victim.secondMembership })).toEqual({
      membershipId: victim.secondMembership,
      personId: victim.second.id,
      role: "owner",
      email: victim.second.email,
    });
  });

  it("changes a role and removes a member, returning them as they were, and refuses to lose the last owner", async () => {
    const { db } = database;
    const { tenant, first, second, firstMembership, secondMembership } = await twoOwners(db);
    const before = await db.transaction((tx) =>
      changeMemberRole(tx, { tenantId: tenant.id, membershipId: secondMembership, role: "admin" }),
    );
    expect(before).toEqual({ membershipId: secondMembership, personId: second.id, role: "owner", email: second.email });
    const lastOwner = "A tenant needs at least one owner: make someone else owner first.";
    await expect(
      db.transaction((tx) =>
        changeMemberRole(tx, { tenantId: tenant.id, membershipId: firstMembership, role: "admin" }),
      ),
    ).rejects.toThrow(lastOwner);
    await expect(
      db.transaction((tx) => removeMember(tx, { tenantId: tenant.id, membershipId: firstMembership })),
    ).rejects.toThrow(lastOwner);
    // An owner staying owner, and a non-owner leaving, need no other owner.
    await db.transaction((tx) =>
      changeMemberRole(tx, { tenantId: tenant.id, membershipId: firstMembership, role: "owner" }),
    );
    const removed = await db.transaction((tx) =>
      removeMember(tx, { tenantId: tenant.id, membershipId: secondMembership }),
    );
    expect(removed).toEqual({
      membershipId: secondMembership,
      personId: second.id,
      role: "admin",
      email: second.email,
    });
    expect(await listMembers(db, { tenantId: tenant.id })).toMatchObject([{ personId: first.id, role: "owner" }]);
  });
});

type Step = (tx: Db, owners: Awaited<ReturnType<typeof twoOwners>>) => Promise<unknown>;

/**
 * Runs `first` in a transaction held open after it finished its work (its locks held), starts `second` meanwhile, and
 * waits until `second` waits for a lock (or finishes without waiting, as it would without FOR UPDATE); then lets the
 * first commit. Returns how `second` ended and who owns the tenant after.
 */
async function interleave(first: Step, second: Step) {
  const { db } = database;
  const setup = await twoOwners(db);
  const firstDone = gate();
  const commitFirst = gate();
  const firstTransaction = db.transaction(async (tx) => {
    await first(tx, setup);
    firstDone.open();
    await commitFirst.opened;
  });
  await firstDone.opened;
  const secondTransaction = tracked(db.transaction((tx) => second(tx, setup)));
  const meanwhile = await blockedOnLock(db, secondTransaction.settled);
  commitFirst.open();
  await firstTransaction;
  const outcome = await secondTransaction.promise.then(
    () => "done",
    (error: Error) => error.message,
  );
  return { meanwhile, outcome, owners: await owners(db, setup.tenant.id), setup };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)(
  "the last owner, with two transactions interleaved (PostgreSQL)",
  () => {
    const lastOwner = "A tenant needs at least one owner: make someone else owner first.";
    const demote =
      (which: "firstMembership" | "secondMembership"): Step =>
      (tx, setup) =>
        changeMemberRole(tx, { tenantId: setup.tenant.id, membershipId: setup[which], role: "viewer" });
    const remove =
      (which: "firstMembership" | "secondMembership"): Step =>
      (tx, setup) =>
        removeMember(tx, { tenantId: setup.tenant.id, membershipId: setup[which] });

    it("holds the second demotion at the first one's lock, then refuses it", async () => {
      const {
        meanwhile,
        outcome,
        owners: after,
        setup,
      } = await interleave(demote("secondMembership"), demote("firstMembership"));
      expect(meanwhile).toBe("blocked");
      expect(outcome).toBe(lastOwner);
      expect(after).toEqual([setup.first.id]);
    });

    it("holds a leave behind a removal of the other owner, then refuses it", async () => {
      const {
        meanwhile,
        outcome,
        owners: after,
        setup,
      } = await interleave(remove("firstMembership"), remove("secondMembership"));
      expect(meanwhile).toBe("blocked");
      expect(outcome).toBe(lastOwner);
      expect(after).toEqual([setup.second.id]);
    });

    it("holds a removal behind a demotion of the other owner, then refuses it", async () => {
      const {
        meanwhile,
        outcome,
        owners: after,
        setup,
      } = await interleave(demote("firstMembership"), remove("secondMembership"));
      expect(meanwhile).toBe("blocked");
      expect(outcome).toBe(lastOwner);
      expect(after).toEqual([setup.second.id]);
    });
  },
);

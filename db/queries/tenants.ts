// Tenants and memberships: who belongs where, with which role.
import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "../client";
import { memberships, people, tenants, type Role } from "../schema";
import { DomainError } from "@/server/errors";

export async function createTenant(db: Db, input: { name: string; slug: string; ownerId: string }) {
  const [tenant] = await db
    .insert(tenants)
    .values({ name: input.name, slug: input.slug })
    .onConflictDoNothing()
    .returning();
  if (!tenant) throw new DomainError("CONFLICT", `The address "${input.slug}" is taken; choose another.`, "slug");
  await db.insert(memberships).values({ tenantId: tenant.id, personId: input.ownerId, role: "owner" });
  return tenant;
}

export async function listTenantsForPerson(db: Db, personId: string) {
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.personId, personId))
    .orderBy(asc(tenants.name));
}

/** The person's membership in the tenant with this slug; undefined when there is none (or no such tenant). */
export async function findMembership(db: Db, input: { slug: string; personId: string }) {
  const [row] = await db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      role: memberships.role,
      membershipId: memberships.id,
    })
    .from(tenants)
    .innerJoin(memberships, and(eq(memberships.tenantId, tenants.id), eq(memberships.personId, input.personId)))
    .where(eq(tenants.slug, input.slug));
  return row;
}

export async function renameTenant(db: Db, input: { tenantId: string; name: string }) {
  await db.update(tenants).set({ name: input.name }).where(eq(tenants.id, input.tenantId));
}

export async function deleteTenant(db: Db, input: { tenantId: string }) {
  await db.delete(tenants).where(eq(tenants.id, input.tenantId));
}

export async function listMembers(db: Db, input: { tenantId: string }) {
  return db
    .select({
      membershipId: memberships.id,
      personId: people.id,
      email: people.email,
      name: people.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(eq(memberships.tenantId, input.tenantId))
    .orderBy(asc(people.email));
}

export async function countMembers(db: Db, input: { tenantId: string }): Promise<number> {
  const [row] = await db.select({ members: count() }).from(memberships).where(eq(memberships.tenantId, input.tenantId));
  return row?.members ?? 0;
}

export async function findMember(db: Db, input: { tenantId: string; membershipId: string }) {
  const [row] = await db
    .select({
      membershipId: memberships.id,
      personId: memberships.personId,
      role: memberships.role,
      email: people.email,
    })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.id, input.membershipId)));
  if (!row) throw new DomainError("NOT_FOUND", "No such member in this tenant.");
  return row;
}

// Locks the tenant's owner rows so two concurrent demotions can't both pass the last-owner check.
async function assertAnotherOwnerRemains(tx: Db, tenantId: string, leavingPersonId: string) {
  const owners = await tx
    .select({ personId: memberships.personId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .for("update");
  if (!owners.some((owner) => owner.personId !== leavingPersonId)) {
    throw new DomainError("BAD_REQUEST", "A tenant needs at least one owner: make someone else owner first.", "role");
  }
}

/** Changes a role; call inside a transaction. Returns the member before the change. */
export async function changeMemberRole(tx: Db, input: { tenantId: string; membershipId: string; role: Role }) {
  const member = await findMember(tx, input);
  if (member.role === "owner" && input.role !== "owner")
    await assertAnotherOwnerRemains(tx, input.tenantId, member.personId);
  await tx
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.id, input.membershipId)));
  return member;
}

/** Removes a member (or lets one leave); call inside a transaction. Returns the removed member. */
export async function removeMember(tx: Db, input: { tenantId: string; membershipId: string }) {
  const member = await findMember(tx, input);
  if (member.role === "owner") await assertAnotherOwnerRemains(tx, input.tenantId, member.personId);
  await tx
    .delete(memberships)
    .where(and(eq(memberships.tenantId, input.tenantId), eq(memberships.id, input.membershipId)));
  return member;
}

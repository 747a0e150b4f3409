// Invitations: single-use, expiring links that add a person to a tenant with a role.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { invitations, memberships, people, tenants, type Role } from "../schema";
import { normaliseEmail } from "./people";
import { DomainError } from "@/server/errors";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Creates an invitation and returns its token, which exists only in this return value and the link. */
export async function createInvitation(
  db: Db,
  input: { tenantId: string; email: string; role: Role; invitedBy: string; now?: Date },
) {
  const email = normaliseEmail(input.email);
  const [existing] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(people, eq(people.id, memberships.personId))
    .where(and(eq(memberships.tenantId, input.tenantId), sql`lower(${people.email}) = ${email}`));
  if (existing) throw new DomainError("CONFLICT", `${email} is already a member of this tenant.`, "email");

  const token = randomBytes(32).toString("base64url");
  const now = input.now ?? new Date();
  const [invitation] = await db
    .insert(invitations)
    .values({
      tenantId: input.tenantId,
      email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: input.invitedBy,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    })
    .returning({ id: invitations.id, expiresAt: invitations.expiresAt });
  return { ...invitation!, token };
}

export async function listOpenInvitations(db: Db, input: { tenantId: string; now?: Date }) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, input.tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, input.now ?? new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Db, input: { tenantId: string; invitationId: string }) {
  const [revoked] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.tenantId, input.tenantId),
        eq(invitations.id, input.invitationId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning({ id: invitations.id, email: invitations.email });
  if (!revoked) throw new DomainError("NOT_FOUND", "No open invitation with this id in this tenant.");
  return revoked;
}

function invitationProblem(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) {
  if (row.acceptedAt) return "This invitation has already been used.";
  if (row.revokedAt) return "This invitation was withdrawn.";
  if (row.expiresAt <= now) return "This invitation has expired; ask for a new one.";
  return undefined;
}

/** What the invite page shows before accepting; the token is the only key, so no tenant id is needed. */
export async function describeInvitation(db: Db, input: { token: string; now?: Date }) {
  const [row] = await db
    .select({
      email: invitations.email,
      role: invitations.role,
      tenantName: tenants.name,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(eq(invitations.tokenHash, hashToken(input.token)));
  if (!row) return { ok: false as const, problem: "This invitation link is not valid." };
  const problem = invitationProblem(row, input.now ?? new Date());
  if (problem) return { ok: false as const, problem };
  return { ok: true as const, email: row.email, role: row.role, tenantName: row.tenantName };
}

/**
 * Uses the invitation: one conditional update claims it, so it can be used once however many requests race.
 * Call inside a transaction; returns the tenant joined.
 */
export async function acceptInvitation(
  tx: Db,
  input: { token: string; person: { id: string; email: string }; now?: Date },
) {
  const now = input.now ?? new Date();
  const tokenHash = hashToken(input.token);
  const [claimed] = await tx
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: input.person.id })
    .where(
      and(
        eq(invitations.tokenHash, tokenHash),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
        sql`${invitations.email} = ${normaliseEmail(input.person.email)}`,
      ),
    )
    .returning({ id: invitations.id, tenantId: invitations.tenantId, role: invitations.role });
  if (!claimed) {
    const [row] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!row) throw new DomainError("NOT_FOUND", "This invitation link is not valid.");
    const problem = invitationProblem(row, now);
    if (problem) throw new DomainError("BAD_REQUEST", problem);
    throw new DomainError("FORBIDDEN", `This invitation is for ${row.email}. Sign in with that e-mail to accept it.`);
  }
  await tx
    .insert(memberships)
    .values({ tenantId: claimed.tenantId, personId: input.person.id, role: claimed.role })
    .onConflictDoNothing();
  const [tenant] = await tx
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name })
    .from(tenants)
    .where(eq(tenants.id, claimed.tenantId));
  return { tenant: tenant!, role: claimed.role };
}

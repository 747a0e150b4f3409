// Erasing a tenant's links (SPEC §4.4, §6 "Links belong to one Zoho organization"): what would go, and the erase.
import { and, count, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog, syncCursors, syncLinks, zohoConnections } from "../schema";

export type LinkedOrganization = { organizationId: string | null; name: string | null; records: number };

const outside = (organizationId: string | null) =>
  organizationId === null ? undefined : sql`${syncLinks.organizationId} is distinct from ${organizationId}`;

/**
 * Records (every entity) linked to a Zoho record of an organization other than this one (of any organization when
 * null), per organization, with the organization's name where Ledgerlink still knows it.
 */
export async function linkedOutside(
  db: Db,
  input: { tenantId: string; organizationId: string | null },
): Promise<LinkedOrganization[]> {
  const rows = await db
    .select({ organizationId: syncLinks.organizationId, records: count() })
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, input.tenantId), isNotNull(syncLinks.zohoId), outside(input.organizationId)))
    .groupBy(syncLinks.organizationId)
    .orderBy(desc(count()));
  const names = await organizationNames(db, {
    tenantId: input.tenantId,
    organizationIds: rows.map((row) => row.organizationId).filter((id): id is string => id !== null),
  });
  return rows.map((row) => ({ ...row, name: row.organizationId ? (names.get(row.organizationId) ?? null) : null }));
}

/** Names of organizations the tenant used: the one chosen now, else the last choice of it the audit log recorded. */
async function organizationNames(
  db: Db,
  input: { tenantId: string; organizationIds: string[] },
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (input.organizationIds.length === 0) return names;
  const chosen = await db
    .select({ target: auditLog.target, organizationId: sql<string>`${auditLog.details}->>'organizationId'` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, input.tenantId),
        eq(auditLog.action, "zoho.organization_choose"),
        inArray(sql`${auditLog.details}->>'organizationId'`, input.organizationIds),
      ),
    )
    .orderBy(auditLog.id);
  for (const row of chosen) if (row.target) names.set(row.organizationId, row.target);
  const [connection] = await db
    .select({ organizationId: zohoConnections.organizationId, name: zohoConnections.organizationName })
    .from(zohoConnections)
    .where(eq(zohoConnections.tenantId, input.tenantId));
  if (connection?.organizationId && connection.name && input.organizationIds.includes(connection.organizationId))
    names.set(connection.organizationId, connection.name);
  return names;
}

/**
 * Deletes the tenant's links of every entity, or those of other organizations than one: the links into their Zoho
 * records, and their held or confirmed decisions; records that never reached any organization keep their state. Their
 * records sync again as new: a record Zoho already holds is then held for review or paired (Settings), never created twice.
 */
export async function deleteTenantLinks(
  tx: Db,
  input: { tenantId: string; exceptOrganizationId?: string },
): Promise<number> {
  const except = input.exceptOrganizationId;
  const elsewhere =
    except === undefined
      ? undefined
      : sql`(${syncLinks.organizationId} <> ${except} or (${syncLinks.organizationId} is null and ${syncLinks.zohoId} is not null))`;
  const deleted = await tx
    .delete(syncLinks)
    .where(and(eq(syncLinks.tenantId, input.tenantId), elsewhere))
    .returning({ splynxId: syncLinks.splynxId });
  // Records whose links went sync again as new, changed in Splynx or not: the next scheduled read is a full one.
  await tx.delete(syncCursors).where(eq(syncCursors.tenantId, input.tenantId));
  return deleted.length;
}

/** "250 records are linked to Demo ISP Ltd", naming each organization the links point into. */
export function describeLinked(organizations: LinkedOrganization[]): string {
  const records = organizations.reduce((total, organization) => total + organization.records, 0);
  const name = (organization: LinkedOrganization) =>
    organization.name ??
    (organization.organizationId
      ? `Zoho organization ${organization.organizationId}`
      : "an organization Ledgerlink did not record");
  const where =
    organizations.length === 1
      ? name(organizations[0]!)
      : organizations.map((organization) => `${name(organization)} (${organization.records})`).join(" and ");
  return `${records} ${records === 1 ? "record is" : "records are"} linked to ${where}`;
}

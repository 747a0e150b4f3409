// The per-tenant audit log: written inside the caller's transaction, read with filters and keyset pages.
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog } from "../schema";

export type Actor = { id: string; email: string; ip?: string | null };

export type AuditEntry = {
  tenantId: string;
  actor: Actor | null;
  action: string;
  target?: string;
  details?: Record<string, unknown>;
};

/** Call with the transaction that makes the change, so the entry commits or rolls back with it. */
export async function recordAudit(tx: Db, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: entry.tenantId,
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    ip: entry.actor?.ip ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ?? null,
  });
}

export type AuditFilter = {
  tenantId: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** The id of the last entry of the previous page. */
  before?: number;
  limit: number;
};

export async function listAudit(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [eq(auditLog.tenantId, filter.tenantId)];
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) conditions.push(lte(auditLog.createdAt, filter.to));
  if (filter.before !== undefined) conditions.push(lt(auditLog.id, filter.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
  const hasMore = rows.length > filter.limit;
  const entries = hasMore ? rows.slice(0, filter.limit) : rows;
  return { entries, nextCursor: hasMore ? entries[entries.length - 1]!.id : null };
}

/** The distinct actions and actors seen in a tenant's log, for the filter menus. */
export async function auditFilterOptions(db: Db, tenantId: string) {
  const actions = await db
    .selectDistinct({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(auditLog.action);
  const actors = await db
    .selectDistinct({ id: auditLog.actorId, email: auditLog.actorEmail })
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(auditLog.actorEmail);
  return {
    actions: actions.map((row) => row.action),
    actors: actors.filter((row): row is { id: string; email: string } => row.id !== null && row.email !== null),
  };
}

/** Whether the tenant's log records this action at least once (the tenant and action index answers it). */
export async function hasAudited(db: Db, input: { tenantId: string; action: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, input.tenantId), eq(auditLog.action, input.action)))
    .limit(1);
  return row !== undefined;
}

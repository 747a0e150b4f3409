// The per-tenant audit log: written inside the caller's transaction, read with filters and keyset pages.
import { and, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rowsOf } from "../rows";
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

/** Longer than any transaction that writes an audit entry: its time is when it began, its id when it inserted. */
const TRANSACTION_SLACK_MS = 10 * 60_000;

/**
 * An exclusive id bound for the page's walk down the id order (which else starts at the newest), found by the tenant
 * and time index: an entry that began a slack before `from` took its id before any entry of the range did, and one
 * that began a slack after `to` took its id after all of them. The time conditions beside it keep the range exact.
 */
function idBound(filter: AuditFilter, edge: "from" | "to"): SQL {
  const outside = new Date(filter[edge]!.getTime() + (edge === "from" ? -TRANSACTION_SLACK_MS : TRANSACTION_SLACK_MS));
  const [compare, direction, none, keep] =
    edge === "from"
      ? [sql`<=`, sql`desc`, sql`0`, sql`>`]
      : [sql`>=`, sql`asc`, sql`${Number.MAX_SAFE_INTEGER}`, sql`<`];
  const bound = sql`(select ${auditLog.id} from ${auditLog} where ${auditLog.tenantId} = ${filter.tenantId}
    and ${auditLog.createdAt} ${compare} ${outside.toISOString()} order by ${auditLog.createdAt} ${direction} limit 1)`;
  return sql`${auditLog.id} ${keep} coalesce(${bound}, ${none})`;
}

export async function listAudit(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [eq(auditLog.tenantId, filter.tenantId)];
  if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from), idBound(filter, "from"));
  if (filter.to) conditions.push(lte(auditLog.createdAt, filter.to), idBound(filter, "to"));
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

// Entries of a person still known by id and e-mail; the filter menu offers only those (the partial index holds them).
const knownActor = sql`${auditLog.actorId} is not null and ${auditLog.actorEmail} is not null`;

/**
 * The distinct actions and actors seen in a tenant's log, for the filter menus: each found by a loose index scan (the
 * next value after the previous one, one index probe each), so the cost follows the distinct values, not the entries.
 */
export async function auditFilterOptions(db: Db, tenantId: string) {
  const actions = await rowsOf<{ action: string }>(
    db,
    sql`with recursive found(action) as (
      (select ${auditLog.action} from ${auditLog} where ${auditLog.tenantId} = ${tenantId}
        order by ${auditLog.action} limit 1)
      union all
      select (select ${auditLog.action} from ${auditLog} where ${auditLog.tenantId} = ${tenantId}
        and ${auditLog.action} > found.action order by ${auditLog.action} limit 1)
      from found where found.action is not null)
    select action from found where action is not null order by action`,
  );
  const actors = await rowsOf<{ id: string; email: string }>(
    db,
    sql`with recursive found(id, email) as (
      (select ${auditLog.actorId}, ${auditLog.actorEmail} from ${auditLog} where ${auditLog.tenantId} = ${tenantId}
        and ${knownActor} order by ${auditLog.actorEmail}, ${auditLog.actorId} limit 1)
      union all
      select next.actor_id, next.actor_email from found, lateral (
        select ${auditLog.actorId}, ${auditLog.actorEmail} from ${auditLog} where ${auditLog.tenantId} = ${tenantId}
          and ${knownActor} and (${auditLog.actorEmail}, ${auditLog.actorId}) > (found.email, found.id)
          order by ${auditLog.actorEmail}, ${auditLog.actorId} limit 1) as next)
    select id, email from found order by email, id`,
  );
  return { actions: actions.map((row) => row.action), actors };
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

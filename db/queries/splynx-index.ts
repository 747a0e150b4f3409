// The tenant's index of Splynx records (what Records lists), its read cursors and its refresh, always within one tenant.
import { and, type AnyColumn, eq, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import { fromExcluded, jsonRows } from "../json-rows";
import { totalsDiffer } from "../link-totals";
import { preparedRowsOf } from "../rows";
import { linkedContact, rowOf } from "./record-joins";
import type { LinkFilter } from "./sync";
import {
  splynxConnections,
  splynxIndexCursors,
  splynxIndexRefreshes,
  splynxRecords,
  syncLinks,
  zohoContactsCache,
  type IndexedEntity,
  type IndexRefreshStatus,
  type LinkDetails,
  type LinkState,
} from "../schema";

export type IndexRow = Omit<typeof splynxRecords.$inferInsert, "tenantId" | "seenAt" | "removedAt">;

const INDEX_COLUMNS = [
  "tenantId",
  "entity",
  "splynxId",
  "label",
  "customerId",
  "date",
  "amount",
  "status",
  "changedAt",
  "seenAt",
] as const;
const REFRESHED = INDEX_COLUMNS.filter((column) => !["tenantId", "entity", "splynxId", "seenAt"].includes(column));

/** One statement for a page of records: each row as Splynx sent it now, seen now, no longer removed. */
export async function upsertIndexRows(db: Db, input: { tenantId: string; rows: IndexRow[]; seenAt: Date }) {
  if (input.rows.length === 0) return;
  // Rows locked in one order by every writer (a run's page, the index job), so two upserts never deadlock.
  const rows = [...input.rows]
    .sort((a, b) => (a.splynxId < b.splynxId ? -1 : a.splynxId > b.splynxId ? 1 : 0))
    .map((row) => ({ ...row, tenantId: input.tenantId, seenAt: input.seenAt }));
  const { columns, source, ordered } = jsonRows(splynxRecords, INDEX_COLUMNS, rows);
  await preparedRowsOf(
    db,
    sql`insert into ${splynxRecords} (${columns}) select ${columns} from ${source} ${ordered}
      on conflict (tenant_id, entity, splynx_id) do update set ${fromExcluded(splynxRecords, REFRESHED)},
        seen_at = greatest(${splynxRecords.seenAt}, excluded.seen_at), removed_at = null`,
  );
}

/** Records Splynx sent but could not be read: they exist, so seen now, their indexed fields left as last read. */
export async function markSeen(
  db: Db,
  input: { tenantId: string; entity: IndexedEntity; splynxIds: string[]; seenAt: Date },
) {
  if (input.splynxIds.length === 0) return;
  await db
    .update(splynxRecords)
    .set({
      seenAt: sql`greatest(${splynxRecords.seenAt}, ${input.seenAt.toISOString()}::timestamptz)`,
      removedAt: null,
    })
    .where(
      and(
        eq(splynxRecords.tenantId, input.tenantId),
        eq(splynxRecords.entity, input.entity),
        inArray(splynxRecords.splynxId, input.splynxIds),
      ),
    );
}

/** After a full read: what it did not see (not seen since it began) is gone from Splynx. */
export async function markRemoved(db: Db, input: { tenantId: string; entity: IndexedEntity; readStart: Date }) {
  const rows = await db
    .update(splynxRecords)
    .set({ removedAt: new Date() })
    .where(
      and(
        eq(splynxRecords.tenantId, input.tenantId),
        eq(splynxRecords.entity, input.entity),
        lt(splynxRecords.seenAt, input.readStart),
        isNull(splynxRecords.removedAt),
      ),
    )
    .returning({ splynxId: splynxRecords.splynxId });
  return rows.length;
}

export async function indexCursor(db: Db, input: { tenantId: string; entity: IndexedEntity }) {
  const [row] = await db
    .select()
    .from(splynxIndexCursors)
    .where(and(eq(splynxIndexCursors.tenantId, input.tenantId), eq(splynxIndexCursors.entity, input.entity)));
  return row ?? null;
}

/** After a complete read begun at `readFrom`; a full read also dates the last full read. */
export async function saveIndexCursor(
  db: Db,
  input: { tenantId: string; entity: IndexedEntity; readFrom: Date; full: boolean },
) {
  const values = { tenantId: input.tenantId, entity: input.entity, readFrom: input.readFrom };
  await db
    .insert(splynxIndexCursors)
    .values({ ...values, fullReadAt: input.readFrom })
    .onConflictDoUpdate({
      target: [splynxIndexCursors.tenantId, splynxIndexCursors.entity],
      set: { readFrom: input.readFrom, ...(input.full && { fullReadAt: input.readFrom }) },
    });
}

export type IndexRefresh = typeof splynxIndexRefreshes.$inferSelect;

/**
 * Starts the tenant's refresh unless one is running and alive (written to within `staleMs`): the new refresh, or null
 * when one is going already.
 */
export async function claimIndexRefresh(db: Db, input: { tenantId: string; staleMs: number }) {
  const now = new Date();
  const fresh = {
    id: sql`gen_random_uuid()`,
    status: "running" as const,
    entity: null,
    done: 0,
    total: null,
    error: null,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  const [row] = await db
    .insert(splynxIndexRefreshes)
    .values({ tenantId: input.tenantId, ...fresh })
    .onConflictDoUpdate({
      target: splynxIndexRefreshes.tenantId,
      set: fresh,
      setWhere: or(
        ne(splynxIndexRefreshes.status, "running"),
        lt(splynxIndexRefreshes.updatedAt, new Date(now.getTime() - input.staleMs)),
      ),
    })
    .returning();
  return row ?? null;
}

const ofRefresh = (input: { tenantId: string; refreshId: string }) =>
  and(
    eq(splynxIndexRefreshes.tenantId, input.tenantId),
    eq(splynxIndexRefreshes.id, input.refreshId),
    eq(splynxIndexRefreshes.status, "running"),
  );

/** Progress of a running refresh; false when it is no longer this refresh's turn (ended, or taken over). */
export async function indexRefreshProgress(
  db: Db,
  input: { tenantId: string; refreshId: string; entity: IndexedEntity; done: number; total: number | null },
) {
  const rows = await db
    .update(splynxIndexRefreshes)
    .set({ entity: input.entity, done: input.done, total: input.total, updatedAt: new Date() })
    .where(ofRefresh(input))
    .returning({ id: splynxIndexRefreshes.id });
  return rows.length > 0;
}

export async function finishIndexRefresh(
  db: Db,
  input: { tenantId: string; refreshId: string; status: Exclude<IndexRefreshStatus, "running">; error?: string },
) {
  const now = new Date();
  await db
    .update(splynxIndexRefreshes)
    .set({ status: input.status, error: input.error ?? null, updatedAt: now, finishedAt: now })
    .where(ofRefresh(input));
}

export async function getIndexRefresh(db: Db, tenantId: string) {
  const [row] = await db.select().from(splynxIndexRefreshes).where(eq(splynxIndexRefreshes.tenantId, tenantId));
  return row ?? null;
}

/** Tenants whose Splynx is connected: the daily refresh reads each one. */
export async function tenantsWithSplynx(db: Db) {
  const rows = await db.select({ tenantId: splynxConnections.tenantId }).from(splynxConnections);
  return rows.map((row) => row.tenantId);
}

/** "unsynced": indexed records no link holds yet (no run has handled them). */
export type RecordState = LinkState | "unsynced";

/** Records' filters, as the links' listing takes them; the state may also be "unsynced". */
export type RecordFilter = Omit<LinkFilter, "entity" | "state"> & { entity: IndexedEntity; state?: RecordState };

// LIKE's wildcards taken literally.
const literal = (text: string) => text.replace(/[%_\\]/g, (char) => `\\${char}`);
const keyOf = (splynxId: AnyColumn | string) => sql`lpad(${splynxId}, 20, '0')`;
const customers = alias(splynxRecords, "customers");
const matchingCustomers = alias(splynxRecords, "matching_customers");
const matching = alias(splynxRecords, "matching");
const byZohoId = alias(syncLinks, "by_zoho_id");

// Up to this many matching customers go to the listing as a list of ids; more, and it reads them as a subquery.
const LISTED_CUSTOMERS = 10_000;

/** The tenant's indexed customers whose name contains the text. */
const customerNamed = (tenantId: string, text: string) =>
  and(
    eq(matchingCustomers.tenantId, tenantId),
    eq(matchingCustomers.entity, "customer"),
    sql`${matchingCustomers.label} ilike ${`%${literal(text)}%`}`,
  );

/**
 * The Splynx ids of the customers a customer filter means: the text as an id, and every customer whose name contains
 * it. Read first and given to the listing as a list, so the planner knows how many there are: as a subquery it walked
 * every document comparing each with each match (383 ms at 1,000,000 documents for a filter matching 280 names).
 */
async function customersMatching(db: Db, filter: RecordFilter): Promise<string[] | null> {
  if (!filter.customer) return null;
  const rows = await db
    .select({ splynxId: matchingCustomers.splynxId })
    .from(matchingCustomers)
    .where(customerNamed(filter.tenantId, filter.customer))
    .limit(LISTED_CUSTOMERS + 1);
  return rows.length > LISTED_CUSTOMERS ? null : [filter.customer, ...rows.map((row) => row.splynxId)];
}

function recordConditions(filter: RecordFilter, customerIds: string[] | null): SQL[] {
  const conditions: SQL[] = [eq(splynxRecords.tenantId, filter.tenantId), eq(splynxRecords.entity, filter.entity)];
  if (filter.state === "unsynced") conditions.push(sql`${syncLinks.splynxId} is null`);
  else if (filter.state) conditions.push(eq(syncLinks.state, filter.state));
  if (filter.text) {
    // Each way of matching through its own index (a document's number by prefix, a Zoho id through the links), then
    // the records by their key; one OR across the joined tables would read every record.
    const label =
      filter.entity === "customer"
        ? sql`${matching.label} ilike ${`%${literal(filter.text)}%`}`
        : sql`lower(${matching.label}) like ${`${literal(filter.text.toLowerCase())}%`}`;
    conditions.push(
      sql`${splynxRecords.splynxId} in (select ${matching.splynxId} from ${splynxRecords} ${matching}
        where ${matching.tenantId} = ${filter.tenantId} and ${matching.entity} = ${filter.entity} and ${label}
        union all select ${filter.text}::text
        union all select ${byZohoId.splynxId} from ${syncLinks} ${byZohoId} where ${byZohoId.tenantId} = ${filter.tenantId}
        and ${byZohoId.entity} = ${filter.entity} and ${byZohoId.zohoId} = ${filter.text})`,
    );
  }
  // The matching customers first, then their documents by the customer index.
  if (customerIds) conditions.push(inArray(splynxRecords.customerId, customerIds));
  else if (filter.customer)
    conditions.push(
      sql`${splynxRecords.customerId} in (select ${matchingCustomers.splynxId} from ${splynxRecords} ${matchingCustomers}
        where ${customerNamed(filter.tenantId, filter.customer)} union all select ${filter.customer}::text)`,
    );
  if (filter.dateFrom) conditions.push(sql`${splynxRecords.date} >= ${filter.dateFrom}`);
  if (filter.dateTo) conditions.push(sql`${splynxRecords.date} <= ${filter.dateTo}`);
  if (filter.mismatch) conditions.push(totalsDiffer(syncLinks.details));
  if (filter.after) conditions.push(sql`${keyOf(splynxRecords.splynxId)} > ${keyOf(filter.after)}`);
  return conditions;
}

/**
 * Every indexed Splynx record of one entity with its link where a run made one (index ⟕ links), keyset-paged by Splynx
 * id in numeric order; a document carries its customer's name from the index.
 */
export async function listRecords(db: Db, filter: RecordFilter) {
  const customerIds = await customersMatching(db, filter);
  const rows = await db
    .select({
      record: splynxRecords,
      link: syncLinks,
      customerName: customers.label,
      zohoContactName: zohoContactsCache.name,
      mismatch: totalsDiffer(syncLinks.details),
    })
    .from(splynxRecords)
    .leftJoin(syncLinks, rowOf(syncLinks, splynxRecords))
    .leftJoin(
      customers,
      rowOf(customers, { tenantId: splynxRecords.tenantId, entity: "customer", splynxId: splynxRecords.customerId }),
    )
    // The Zoho contact a customer is linked to, by its name in the loaded Zoho customers.
    .leftJoin(zohoContactsCache, linkedContact(syncLinks))
    .where(and(...recordConditions(filter, customerIds)))
    .orderBy(keyOf(splynxRecords.splynxId))
    .limit(filter.limit + 1);
  const records = rows.slice(0, filter.limit).map(({ record, link, customerName, zohoContactName, mismatch }) => {
    // What Splynx says now, beside what Zoho answered when the record was last synced.
    const details: LinkDetails = {
      ...link?.details,
      number: record.label,
      customerId: record.customerId ?? undefined,
      date: record.date ?? undefined,
      splynxTotal: record.amount ?? undefined,
    };
    return {
      splynxId: record.splynxId,
      label: record.label,
      state: link?.state ?? ("unsynced" as RecordState),
      zohoId: link?.zohoId ?? null,
      manual: link?.manual ?? false,
      message: link?.message ?? null,
      syncedAt: link?.syncedAt ?? null,
      details,
      customerName,
      zohoContactName,
      mismatch: Boolean(mismatch),
      splynxStatus: record.status,
      changedAt: record.changedAt,
      removedAt: record.removedAt,
    };
  });
  return { records, nextCursor: rows.length > filter.limit ? records[filter.limit - 1]!.splynxId : null };
}

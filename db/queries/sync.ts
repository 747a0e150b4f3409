// Links (the source of truth for "is it synced"), the sync log's entries, and the tenant's settings row, always within one tenant.
import { and, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { fromExcluded, jsonRows } from "../json-rows";
import { preparedRowsOf } from "../rows";
import { linkedContact, rowOf } from "./record-joins";
import type { Db } from "../client";
import { totalsDiffer } from "../link-totals";
import {
  syncLinks,
  syncRunEntries,
  tenantSettings,
  zohoContactsCache,
  type LinkDetails,
  type LinkState,
  type SyncEntity,
} from "../schema";

export type Link = typeof syncLinks.$inferSelect;
/** A link as its claim left it; `version` is the row's physical address then, which any later write changes. */
export type ClaimedLink = Link & { version: string };

export async function linksFor(
  db: Db,
  input: { tenantId: string; entity: SyncEntity; splynxIds: string[] },
): Promise<Map<string, Link>> {
  if (input.splynxIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, input.entity),
        inArray(syncLinks.splynxId, input.splynxIds),
      ),
    );
  return new Map(rows.map((row) => [row.splynxId, row]));
}

export type LinkWrite = {
  tenantId: string;
  entity: SyncEntity;
  splynxId: string;
  state: LinkState;
  zohoId?: string | null;
  organizationId?: string | null;
  fingerprint?: string | null;
  message?: string | null;
  manual?: boolean;
  label?: string | null;
  intentKey?: Record<string, string> | null;
  candidateId?: string | null;
  failures?: number;
  retryAfter?: Date | null;
  details?: LinkDetails | null;
  /** The writing attempt goes on with the record (steps after a create), so its claim stays. */
  keepClaim?: boolean;
};

type LinkColumn = keyof typeof syncLinks.$inferInsert;

type LinkValues = Partial<Record<LinkColumn, unknown>>;

/** A link write's columns as stored: a synced link clears its message, intent, held candidate and failures. */
function linkValues(link: LinkWrite): LinkValues {
  const synced =
    link.state === "synced"
      ? { syncedAt: new Date(), message: null, intentKey: null, candidateId: null, failures: 0, retryAfter: null }
      : {};
  const { keepClaim, ...columns } = link;
  const values: LinkValues = {
    ...columns,
    updatedAt: new Date(),
    ...(keepClaim ? {} : { claimId: null, claimedUntil: null }),
    ...synced,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** One upsert of links that write the same columns (those of the first), their rows as one JSON parameter. */
function linksUpsert(rows: LinkValues[]): SQL {
  const written = Object.keys(rows[0]!) as LinkColumn[];
  const { columns, source } = jsonRows(syncLinks, written, rows);
  return sql`insert into ${syncLinks} (${columns}) select ${columns} from ${source}
    on conflict (tenant_id, entity, splynx_id) do update set ${fromExcluded(syncLinks, written)}`;
}

/** Writes a link as a whole; a synced one clears its message, its intent, its held candidate and its failures. */
export async function writeLink(db: Db, link: LinkWrite) {
  await db.execute(linksUpsert([linkValues(link)]));
}

/** The claim as a prepared statement per database: built once, not once per record. */
function claimStatement(db: Db) {
  const until = sql`now() + ${sql.placeholder("claimFor")}::interval`;
  return db
    .insert(syncLinks)
    .values({
      tenantId: sql.placeholder("tenantId"),
      entity: sql.placeholder("entity"),
      splynxId: sql.placeholder("splynxId"),
      state: "pending",
      label: sql.placeholder("label"),
      claimId: sql.placeholder("claimId"),
      claimedUntil: until,
    })
    .onConflictDoUpdate({
      target: [syncLinks.tenantId, syncLinks.entity, syncLinks.splynxId],
      set: { claimId: sql`${sql.placeholder("claimId")}`, claimedUntil: until },
      setWhere: sql`${syncLinks.claimId} is null or ${syncLinks.claimedUntil} < now() or ${syncLinks.claimId} = ${sql.placeholder("claimId")}`,
    })
    .returning({ ...getTableColumns(syncLinks), version: sql<string>`ctid::text` })
    .prepare("claim_link");
}
const claimStatements = new WeakMap<Db, ReturnType<typeof claimStatement>>();

/**
 * Claims one record for one attempt (compare-and-set): granted when no other live attempt holds it. Returns the link as
 * it is now, so the attempt decides on what another attempt may just have written, or null when another attempt holds it.
 */
export async function claimLink(
  db: Db,
  input: { tenantId: string; entity: SyncEntity; splynxId: string; label: string; claimId: string; claimMs: number },
): Promise<ClaimedLink | null> {
  const statement = claimStatements.get(db) ?? claimStatement(db);
  claimStatements.set(db, statement);
  const { claimMs, ...values } = input;
  const [row] = await statement.execute({ ...values, claimFor: `${claimMs} milliseconds` });
  return row ?? null;
}

/**
 * The natural key a create is about to send, stored before it is sent, while this attempt holds the claim and nothing
 * has written the link since (`claim`, what claimLink returned). The row is reached by its version: by the key
 * alone the planner may walk every link of the tenant, when the table has no statistics yet (a new install's first
 * sync), as all its indexes begin with tenant and entity.
 */
export function intentUpdate(input: {
  tenantId: string;
  entity: SyncEntity;
  claim: Pick<ClaimedLink, "splynxId" | "claimId" | "version">;
  intentKey: Record<string, string>;
}): SQL {
  const { claim } = input;
  return sql`update ${syncLinks} set state = 'pending', intent_key = ${JSON.stringify(input.intentKey)},
      updated_at = ${new Date().toISOString()}
      where ctid = ${claim.version}::tid and tenant_id = ${input.tenantId} and entity = ${input.entity}
        and splynx_id = ${claim.splynxId} and claim_id = ${claim.claimId}
      returning splynx_id`;
}

/** Records the intent (intentUpdate); false when another attempt took the record over, or wrote it since the claim. */
export async function recordIntent(db: Db, input: Parameters<typeof intentUpdate>[0]): Promise<boolean> {
  return (await preparedRowsOf<{ splynx_id: string }>(db, intentUpdate(input))).length > 0;
}

const entryColumns = ["tenantId", "runId", "entity", "splynxId", "action", "message"] as const;

/** A link and its log entry in one statement, so a killed worker never leaves one without the other. */
export async function writeLinkWithEntry(db: Db, input: { link: LinkWrite; runId: string; entry: EntryInput | null }) {
  await writeLinksWithEntries(db, { runId: input.runId, writes: [{ link: input.link, entry: input.entry }] });
}

export type LinkAndEntry = { link: LinkWrite; entry: EntryInput | null };

// Links a statement writes at most: a page's batch in one, a statement's text kept to a modest size.
const WRITES_PER_STATEMENT = 500;

/**
 * Links and their log entries, each link with its entry in one statement (a statement per set of columns the links
 * write, up to 500 links): a page's records that cost no Zoho call at once, not a round trip each. The last write of
 * a record is the one kept (a statement may not write one link twice); every entry is kept.
 */
export async function writeLinksWithEntries(db: Db, input: { runId: string; writes: LinkAndEntry[] }) {
  const byRecord = new Map<string, { link: LinkValues; entries: EntryInput[] }>();
  for (const { link, entry } of input.writes) {
    const key = `${link.tenantId} ${link.entity} ${link.splynxId}`;
    const entries = byRecord.get(key)?.entries ?? [];
    if (entry) entries.push(entry);
    byRecord.set(key, { link: linkValues(link), entries });
  }
  const groups = new Map<string, { link: LinkValues; entries: EntryInput[] }[]>();
  for (const write of byRecord.values()) {
    const columns = Object.keys(write.link).join(",");
    const group = groups.get(columns) ?? [];
    group.push(write);
    groups.set(columns, group);
  }
  for (const group of groups.values())
    for (let start = 0; start < group.length; start += WRITES_PER_STATEMENT) {
      const chunk = group.slice(start, start + WRITES_PER_STATEMENT);
      const entries = chunk.flatMap((write) =>
        write.entries.map((entry) => ({
          ...entry,
          message: entry.message ?? null,
          tenantId: write.link.tenantId as string,
          runId: input.runId,
        })),
      );
      const upsert = linksUpsert(chunk.map((write) => write.link));
      const logged = jsonRows(syncRunEntries, entryColumns, entries);
      // One text per set of columns, however many rows: prepared, as every record a run handles writes one.
      await preparedRowsOf(
        db,
        entries.length === 0
          ? upsert
          : sql`with written as (${upsert}) insert into ${syncRunEntries} (${logged.columns})
              select ${logged.columns} from ${logged.source}`,
      );
    }
}

export type EntryInput = {
  entity: SyncEntity;
  splynxId: string;
  action: (typeof syncRunEntries.$inferInsert)["action"];
  message?: string | null;
};

/** Entries per statement: a step's batch stays far below PostgreSQL's 65,535 parameters. */
const ENTRIES_PER_INSERT = 1_000;

export async function addEntries(db: Db, input: { tenantId: string; runId: string; entries: EntryInput[] }) {
  const { tenantId, runId } = input;
  for (let start = 0; start < input.entries.length; start += ENTRIES_PER_INSERT) {
    const entries = input.entries.slice(start, start + ENTRIES_PER_INSERT);
    await db.insert(syncRunEntries).values(entries.map((entry) => ({ ...entry, tenantId, runId })));
  }
}

export async function getSettingsRow(db: Db, tenantId: string) {
  const [row] = await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  return row?.values;
}

/** Which of these Zoho ids of the organization some link of the tenant already holds. */
export async function linkedZohoIds(
  db: Db,
  input: { tenantId: string; organizationId: string; entity: SyncEntity; zohoIds: string[] },
): Promise<Set<string>> {
  if (input.zohoIds.length === 0) return new Set();
  const rows = await db
    .select({ zohoId: syncLinks.zohoId })
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.organizationId, input.organizationId),
        eq(syncLinks.entity, input.entity),
        inArray(syncLinks.zohoId, input.zohoIds),
      ),
    );
  return new Set(rows.map((row) => row.zohoId!));
}

export async function saveSettingsRow(db: Db, input: { tenantId: string; values: Record<string, unknown> }) {
  await db
    .insert(tenantSettings)
    .values({ ...input, updatedAt: new Date() })
    .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { values: input.values, updatedAt: new Date() } });
}

/** Every tenant with its settings and whether both connections can run a sync now. */

export type EntryFilter = { tenantId: string; runId: string; action?: string; after?: number; limit: number };

const customerLinks = alias(syncLinks, "customer_links");
const entryLinks = alias(syncLinks, "entry_links");
const matchingCustomers = alias(syncLinks, "matching_customers");

/**
 * A run's per-record entries in order, keyset-paged by id, each with what a person reconciles by: the customer's name,
 * the document's number and the Zoho id, from the record's link (and, for a document, its customer's link).
 */
export async function listEntries(db: Db, filter: EntryFilter) {
  const conditions: SQL[] = [eq(syncRunEntries.tenantId, filter.tenantId), eq(syncRunEntries.runId, filter.runId)];
  if (filter.action) conditions.push(eq(syncRunEntries.action, filter.action as never));
  if (filter.after !== undefined) conditions.push(sql`${syncRunEntries.id} > ${filter.after}`);
  const rows = await db
    .select({
      entry: syncRunEntries,
      zohoId: entryLinks.zohoId,
      label: entryLinks.label,
      number: sql<string | null>`${entryLinks.details}->>'number'`,
      customerName: customerLinks.label,
    })
    .from(syncRunEntries)
    .leftJoin(entryLinks, rowOf(entryLinks, syncRunEntries))
    .leftJoin(
      customerLinks,
      rowOf(customerLinks, {
        tenantId: syncRunEntries.tenantId,
        entity: "customer",
        splynxId: sql`${entryLinks.details}->>'customerId'`,
      }),
    )
    .where(and(...conditions))
    .orderBy(syncRunEntries.id)
    .limit(filter.limit + 1);
  const entries = rows.slice(0, filter.limit).map((row) => ({
    ...row.entry,
    zohoId: row.zohoId,
    documentNumber: row.entry.entity === "customer" ? null : row.number,
    customerName: row.entry.entity === "customer" ? row.label : row.customerName,
  }));
  return { entries, nextCursor: rows.length > filter.limit ? entries[filter.limit - 1]!.id : null };
}

export type LinkFilter = {
  tenantId: string;
  entity: SyncEntity;
  state?: LinkState;
  /** The record's own label, Splynx id or Zoho id. */
  text?: string;
  /** A document's customer: part of its name, or its Splynx id. */
  customer?: string;
  /** A document's date range, inclusive, as YYYY-MM-DD. */
  dateFrom?: string;
  dateTo?: string;
  /** Only documents whose Splynx and Zoho totals are both known and differ. */
  mismatch?: boolean;
  after?: string;
  limit: number;
};

// LIKE's wildcards taken literally.
const literal = (text: string) => text.replace(/[%_\\]/g, (char) => `\\${char}`);
const contains = (text: string) => `%${literal(text)}%`;
// A document's number by its prefix, case-insensitive (the number index holds it lower-cased).
const startsWith = (text: string) => `${literal(text.toLowerCase())}%`;
// The key is one of LinkDetails' own names, never input: inlined so Postgres sees a text key, not an untyped parameter.
const detail = (key: keyof LinkDetails) => sql`(${syncLinks.details}->>${sql.raw(`'${key}'`)})`;

/**
 * Records of one entity with their state, keyset-paged by Splynx id (as text, in numeric order); a document carries its
 * customer's name, from the customer's link.
 */
export async function listLinks(db: Db, filter: LinkFilter) {
  const conditions: SQL[] = [eq(syncLinks.tenantId, filter.tenantId), eq(syncLinks.entity, filter.entity)];
  if (filter.state) conditions.push(eq(syncLinks.state, filter.state));
  // A document's number by prefix (the number index serves it); a customer's name by any part (customers are fewer).
  if (filter.text) {
    const label =
      filter.entity === "customer"
        ? sql`${syncLinks.label} ilike ${contains(filter.text)}`
        : sql`lower(${detail("number")}) like ${startsWith(filter.text)}`;
    conditions.push(sql`(${label} or ${syncLinks.splynxId} = ${filter.text} or ${syncLinks.zohoId} = ${filter.text})`);
  }
  // The matching customers first, then their documents by the customer index, not every document's customer in turn.
  if (filter.customer)
    conditions.push(
      sql`${detail("customerId")} in (select ${matchingCustomers.splynxId} from ${syncLinks} ${matchingCustomers}
        where ${matchingCustomers.tenantId} = ${filter.tenantId} and ${matchingCustomers.entity} = 'customer'
        and ${matchingCustomers.label} ilike ${contains(filter.customer)} union all select ${filter.customer}::text)`,
    );
  if (filter.dateFrom) conditions.push(sql`${detail("date")} >= ${filter.dateFrom}`);
  if (filter.dateTo) conditions.push(sql`${detail("date")} <= ${filter.dateTo}`);
  if (filter.mismatch) conditions.push(totalsDiffer(syncLinks.details));
  if (filter.after) conditions.push(sql`lpad(${syncLinks.splynxId}, 20, '0') > lpad(${filter.after}, 20, '0')`);
  const rows = await db
    .select({ link: syncLinks, customerName: customerLinks.label, zohoContactName: zohoContactsCache.name })
    .from(syncLinks)
    .leftJoin(
      customerLinks,
      rowOf(customerLinks, { tenantId: syncLinks.tenantId, entity: "customer", splynxId: detail("customerId") }),
    )
    // The Zoho contact a customer is linked to, by its name in the loaded Zoho customers.
    .leftJoin(zohoContactsCache, linkedContact(syncLinks))
    .where(and(...conditions))
    .orderBy(sql`lpad(${syncLinks.splynxId}, 20, '0')`)
    .limit(filter.limit + 1);
  const links = rows
    .slice(0, filter.limit)
    .map((row) => ({ ...row.link, customerName: row.customerName, zohoContactName: row.zohoContactName }));
  return { links, nextCursor: rows.length > filter.limit ? links[filter.limit - 1]!.splynxId : null };
}

/** Records in a state, of one entity or of every entity. */
export async function countLinks(db: Db, input: { tenantId: string; entity?: SyncEntity; state: LinkState }) {
  const entity = input.entity ? eq(syncLinks.entity, input.entity) : undefined;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, input.tenantId), entity, eq(syncLinks.state, input.state)));
  return row?.count ?? 0;
}

/** A person reviewed a held record's Zoho match and chose a new Zoho record: the next run creates it. */
export async function confirmCreate(db: Db, input: { tenantId: string; entity: SyncEntity; splynxId: string }) {
  const [row] = await db
    .update(syncLinks)
    .set({
      createConfirmed: true,
      state: "pending",
      candidateId: null,
      message: "A person chose to create it in Zoho; the next run does.",
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, input.entity),
        eq(syncLinks.splynxId, input.splynxId),
        eq(syncLinks.state, "held"),
      ),
    )
    .returning({ splynxId: syncLinks.splynxId });
  return Boolean(row);
}

/** Splynx ids of the entity's records that have a live Zoho record in the organization, in batches after `after`. */
export async function linkedSplynxIds(
  db: Db,
  input: { tenantId: string; entity: SyncEntity; organizationId: string; after: string; limit: number },
) {
  const rows = await db
    .select({ splynxId: syncLinks.splynxId })
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, input.entity),
        eq(syncLinks.organizationId, input.organizationId),
        sql`${syncLinks.zohoId} is not null`,
        sql`${syncLinks.fingerprint} is distinct from 'retired'`,
        sql`${syncLinks.splynxId} > ${input.after}`,
      ),
    )
    .orderBy(syncLinks.splynxId)
    .limit(input.limit);
  return rows.map((row) => row.splynxId);
}

// The cache of Zoho customers used for pairing, per tenant.
import { and, count, eq, ilike, inArray, max, or, sql } from "drizzle-orm";
import { rowsOf } from "../rows";
import type { Db } from "../client";
import { syncLinks, zohoContactsCache } from "../schema";

export type CachedContact = { contactId: string; name: string; email: string; companyName: string };

export async function replaceContactsCache(
  tx: Db,
  input: { tenantId: string; contacts: CachedContact[]; loadedAt: Date },
) {
  await tx.delete(zohoContactsCache).where(eq(zohoContactsCache.tenantId, input.tenantId));
  for (let start = 0; start < input.contacts.length; start += 500) {
    await tx
      .insert(zohoContactsCache)
      .values(
        input.contacts
          .slice(start, start + 500)
          .map((contact) => ({ ...contact, tenantId: input.tenantId, loadedAt: input.loadedAt })),
      );
  }
}

/** Adds or refreshes the contacts Zoho changed since the cache was last brought up to date. */
export async function upsertCachedContacts(
  db: Db,
  input: { tenantId: string; contacts: CachedContact[]; loadedAt: Date },
) {
  for (let start = 0; start < input.contacts.length; start += 500) {
    const rows = input.contacts
      .slice(start, start + 500)
      .map((contact) => ({ ...contact, tenantId: input.tenantId, loadedAt: input.loadedAt }));
    await db
      .insert(zohoContactsCache)
      .values(rows)
      .onConflictDoUpdate({
        target: [zohoContactsCache.tenantId, zohoContactsCache.contactId],
        set: {
          name: sql`excluded.name`,
          email: sql`excluded.email`,
          companyName: sql`excluded.company_name`,
          loadedAt: sql`excluded.loaded_at`,
        },
      });
  }
}

/** Cached contacts with this e-mail (else this name), case aside, that no customer link of the organization holds. */
export async function unheldContactsMatching(
  db: Db,
  input: { tenantId: string; organizationId: string; email: string; name: string },
) {
  const match = input.email
    ? sql`lower(${zohoContactsCache.email}) = lower(${input.email})`
    : sql`lower(${zohoContactsCache.name}) = lower(${input.name})`;
  const held = sql`exists (select 1 from ${syncLinks} where ${syncLinks.tenantId} = ${input.tenantId} and ${syncLinks.entity} = 'customer' and ${syncLinks.organizationId} = ${input.organizationId} and ${syncLinks.zohoId} = ${zohoContactsCache.contactId})`;
  return db
    .select()
    .from(zohoContactsCache)
    .where(and(eq(zohoContactsCache.tenantId, input.tenantId), match, sql`not ${held}`))
    .orderBy(zohoContactsCache.contactId)
    .limit(5);
}

/** A customer's e-mail, or its name without one, as unheldContactsMatching compares it. */
export type ContactMatch = { by: "email" | "name"; value: string };

/**
 * Of these matches, those some cached contact has (case aside, held or not): a page's customers asked at once, so only
 * those with a candidate are looked up one by one.
 */
export async function contactMatchesAmong(
  db: Db,
  input: { tenantId: string; matches: ContactMatch[] },
): Promise<ContactMatch[]> {
  if (input.matches.length === 0) return [];
  const wanted = sql.join(
    input.matches.map((match) => sql`(${match.by}, ${match.value})`),
    sql`, `,
  );
  const cache = zohoContactsCache;
  return rowsOf<ContactMatch>(
    db,
    sql`select wanted.by, wanted.value from (values ${wanted}) as wanted(by, value)
      where exists (select 1 from ${cache} where ${cache.tenantId} = ${input.tenantId} and (
        (wanted.by = 'email' and lower(${cache.email}) = lower(wanted.value))
        or (wanted.by = 'name' and lower(${cache.name}) = lower(wanted.value))))`,
  );
}

export async function cachedContacts(db: Db, tenantId: string) {
  return db.select().from(zohoContactsCache).where(eq(zohoContactsCache.tenantId, tenantId));
}

export async function cacheSummary(db: Db, tenantId: string) {
  const [row] = await db
    .select({ contacts: count(), loadedAt: max(zohoContactsCache.loadedAt) })
    .from(zohoContactsCache)
    .where(eq(zohoContactsCache.tenantId, tenantId));
  return { contacts: row?.contacts ?? 0, loadedAt: row?.loadedAt ?? null };
}

export async function searchContacts(db: Db, input: { tenantId: string; text: string; limit: number }) {
  const pattern = `%${input.text.replace(/[%_\\]/g, (char) => `\\${char}`)}%`;
  return db
    .select()
    .from(zohoContactsCache)
    .where(
      and(
        eq(zohoContactsCache.tenantId, input.tenantId),
        or(
          ilike(zohoContactsCache.name, pattern),
          ilike(zohoContactsCache.email, pattern),
          ilike(zohoContactsCache.companyName, pattern),
        ),
      ),
    )
    .orderBy(zohoContactsCache.name)
    .limit(input.limit);
}

export async function findCachedContact(db: Db, input: { tenantId: string; contactId: string }) {
  const [row] = await db
    .select()
    .from(zohoContactsCache)
    .where(and(eq(zohoContactsCache.tenantId, input.tenantId), eq(zohoContactsCache.contactId, input.contactId)));
  return row;
}

/** Customer links that hold any of these Zoho contacts; of one organization when it is named. */
export async function linksHolding(db: Db, input: { tenantId: string; contactIds: string[]; organizationId?: string }) {
  if (input.contactIds.length === 0) return [];
  const organization =
    input.organizationId === undefined ? undefined : eq(syncLinks.organizationId, input.organizationId);
  return db
    .select()
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, "customer"),
        inArray(syncLinks.zohoId, input.contactIds),
        organization,
      ),
    );
}

export async function cachedContactsByIds(db: Db, input: { tenantId: string; contactIds: string[] }) {
  if (input.contactIds.length === 0) return [];
  return db
    .select()
    .from(zohoContactsCache)
    .where(and(eq(zohoContactsCache.tenantId, input.tenantId), inArray(zohoContactsCache.contactId, input.contactIds)));
}

/** The cached contacts belong to one Zoho organization: another one starts from an empty cache. */
export async function clearContactsCache(tx: Db, input: { tenantId: string }) {
  await tx.delete(zohoContactsCache).where(eq(zohoContactsCache.tenantId, input.tenantId));
}

/** Reads a customer's link and holds its row until the transaction ends, so no sync attempt claims it meanwhile. */
export async function lockCustomerLink(tx: Db, input: { tenantId: string; splynxId: string }) {
  const [row] = await tx
    .select()
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, "customer"),
        eq(syncLinks.splynxId, input.splynxId),
      ),
    )
    .for("update");
  return row;
}

/** Customers held for review in this organization: a first create would duplicate a Zoho contact. */
export async function countHeldCustomers(db: Db, input: { tenantId: string; organizationId: string }) {
  const [row] = await db
    .select({ count: count() })
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, "customer"),
        eq(syncLinks.state, "held"),
        eq(syncLinks.organizationId, input.organizationId),
      ),
    );
  return row?.count ?? 0;
}

export async function deleteManualLink(tx: Db, input: { tenantId: string; splynxId: string }) {
  const [removed] = await tx
    .delete(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, "customer"),
        eq(syncLinks.splynxId, input.splynxId),
        eq(syncLinks.manual, true),
      ),
    )
    .returning();
  return removed;
}

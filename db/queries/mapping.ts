// Reference data and mappings per tenant (SPEC §4).
import { and, eq, inArray, max } from "drizzle-orm";
import type { Db } from "../client";
import { mappings, referenceRecords, type MappingKind, type ReferenceKind } from "../schema";

export type ReferenceInput = {
  kind: ReferenceKind;
  externalId: string;
  name: string;
  details: (typeof referenceRecords.$inferInsert)["details"];
};

/** Replaces the tenant's reference data with a fresh load; call inside the transaction that audits it. */
export async function replaceReferenceData(
  tx: Db,
  input: { tenantId: string; records: ReferenceInput[]; loadedAt: Date },
) {
  await tx.delete(referenceRecords).where(eq(referenceRecords.tenantId, input.tenantId));
  for (let start = 0; start < input.records.length; start += 500) {
    await tx
      .insert(referenceRecords)
      .values(
        input.records
          .slice(start, start + 500)
          .map((record) => ({ ...record, tenantId: input.tenantId, loadedAt: input.loadedAt })),
      );
  }
}

export async function listReference(db: Db, input: { tenantId: string; kinds?: ReferenceKind[] }) {
  const conditions = [eq(referenceRecords.tenantId, input.tenantId)];
  if (input.kinds) conditions.push(inArray(referenceRecords.kind, input.kinds));
  return db
    .select()
    .from(referenceRecords)
    .where(and(...conditions))
    .orderBy(referenceRecords.kind, referenceRecords.name);
}

export async function referenceLoadedAt(db: Db, tenantId: string): Promise<Date | null> {
  const [row] = await db
    .select({ loadedAt: max(referenceRecords.loadedAt) })
    .from(referenceRecords)
    .where(eq(referenceRecords.tenantId, tenantId));
  return row?.loadedAt ?? null;
}

export async function listMappings(db: Db, input: { tenantId: string; kind?: MappingKind }) {
  const conditions = [eq(mappings.tenantId, input.tenantId)];
  if (input.kind) conditions.push(eq(mappings.kind, input.kind));
  return db
    .select()
    .from(mappings)
    .where(and(...conditions));
}

/** Sets a screen's rows: a value maps, null unmaps. Returns what changed, for the audit. */
export async function saveMappings(
  tx: Db,
  input: { tenantId: string; kind: MappingKind; entries: { splynxId: string; zohoValue: string | null }[] },
) {
  const before = new Map(
    (await listMappings(tx, { tenantId: input.tenantId, kind: input.kind })).map((row) => [
      row.splynxId,
      row.zohoValue,
    ]),
  );
  const changes: { splynxId: string; before: string | null; after: string | null }[] = [];
  for (const entry of input.entries) {
    const previous = before.get(entry.splynxId) ?? null;
    if (previous === entry.zohoValue) continue;
    changes.push({ splynxId: entry.splynxId, before: previous, after: entry.zohoValue });
    const key = and(
      eq(mappings.tenantId, input.tenantId),
      eq(mappings.kind, input.kind),
      eq(mappings.splynxId, entry.splynxId),
    );
    if (entry.zohoValue === null) await tx.delete(mappings).where(key);
    else
      await tx
        .insert(mappings)
        .values({ tenantId: input.tenantId, kind: input.kind, splynxId: entry.splynxId, zohoValue: entry.zohoValue })
        .onConflictDoUpdate({
          target: [mappings.tenantId, mappings.kind, mappings.splynxId],
          set: { zohoValue: entry.zohoValue, updatedAt: new Date() },
        });
  }
  return changes;
}

/** SPEC §4.4: erases the tenant's mappings and reference data. */
export async function eraseMappingData(tx: Db, input: { tenantId: string }) {
  const erased = await tx
    .delete(mappings)
    .where(eq(mappings.tenantId, input.tenantId))
    .returning({ kind: mappings.kind });
  await tx.delete(referenceRecords).where(eq(referenceRecords.tenantId, input.tenantId));
  return { mappings: erased.length };
}

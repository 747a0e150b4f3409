// What the index keeps of a Splynx record (what Records shows of it), and a page of records written in one statement.
import type { Db } from "@/db/client";
import { type IndexRow, markSeen, upsertIndexRows } from "@/db/queries/splynx-index";
import type { RejectedRecord } from "@/server/splynx/client";
import { INDEXED_ENTITIES, type IndexedEntity } from "@/db/schema";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import type { EntityAdapter } from "@/server/sync/entity";

const isIndexed = (entity: string): entity is IndexedEntity => (INDEXED_ENTITIES as readonly string[]).includes(entity);

/** The record as Records shows it: a document by its number, a customer by its name (the adapter's own words). */
export function indexRowFor(adapter: EntityAdapter, record: SplynxRecord<ResourceName>): IndexRow {
  const fields = record as unknown as Record<string, unknown> & { id: number };
  const details = adapter.details?.(record);
  // Payments have no change filter the sync trusts, but Splynx still dates their last change.
  const changed = fields[adapter.changes?.name ?? "updated_at"];
  return {
    entity: adapter.entity as IndexedEntity,
    splynxId: String(fields.id),
    label: details?.number || adapter.label(record),
    customerId: details?.customerId ?? null,
    date: details?.date || null,
    amount: details?.splynxTotal ?? null,
    status: typeof fields.status === "string" ? fields.status : null,
    changedAt: changed === null || changed === undefined || changed === "" ? null : String(changed),
  };
}

/**
 * A page a run or the index job read, kept in the tenant's index (entities Records does not index are left out); the
 * records it could not read still exist in Splynx, so they count as seen.
 */
export async function indexSplynxPage(
  db: Db,
  input: {
    tenantId: string;
    adapter: EntityAdapter;
    records: SplynxRecord<ResourceName>[];
    rejected?: RejectedRecord[];
  },
) {
  const entity = input.adapter.entity;
  if (!isIndexed(entity)) return;
  const seenAt = new Date();
  const rows = input.records.map((record) => indexRowFor(input.adapter, record));
  await upsertIndexRows(db, { tenantId: input.tenantId, rows, seenAt });
  const splynxIds = (input.rejected ?? []).flatMap((record) => (record.id === null ? [] : [record.id]));
  await markSeen(db, { tenantId: input.tenantId, entity, splynxIds, seenAt });
}

// Reads Splynx lists (never Zoho) into the tenant's index: only what changed since the last complete read, by the
// change filters the sync uses, and everything once a day, which also finds the records Splynx removed outright.
import type { Db } from "@/db/client";
import { indexCursor, indexRefreshProgress, markRemoved, saveIndexCursor } from "@/db/queries/splynx-index";
import type { IndexedEntity } from "@/db/schema";
import type { SplynxClient } from "@/server/splynx/client";
import type { EntityAdapter } from "@/server/sync/entity";
import { creditNotesAdapter } from "@/server/sync/entities/credit-notes";
import { customersAdapter } from "@/server/sync/entities/customers";
import { invoicesAdapter } from "@/server/sync/entities/invoices";
import { paymentsExportAdapter } from "@/server/sync/entities/payments-export";
import { changedSince } from "@/server/sync/incremental";
import { indexSplynxPage } from "./rows";

const ADAPTERS = new Map<IndexedEntity, EntityAdapter>(
  ([customersAdapter, invoicesAdapter, creditNotesAdapter, paymentsExportAdapter] as EntityAdapter[]).map((adapter) => [
    adapter.entity as IndexedEntity,
    adapter,
  ]),
);
/** The order a refresh reads them in: customers first, so documents find their customer's name soon. */
export const INDEX_ORDER = [...ADAPTERS.keys()];

const DAY_MS = 24 * 60 * 60_000;
/** Splynx's change columns hold its server's local time, or only a date: a day's overlap covers any time zone. */
const OVERLAP_MS = DAY_MS;

/** Another refresh took this one over (this one was taken for lost); it stops without writing its end. */
export class RefreshTakenOver extends Error {}

export type EntityRead = { entity: IndexedEntity; read: number; removed: number; incremental: boolean };

/** One entity into the index, page by page, its progress written after each page. */
export async function readEntityIntoIndex(
  db: Db,
  splynx: SplynxClient,
  input: { tenantId: string; refreshId: string; entity: IndexedEntity },
): Promise<EntityRead> {
  const { tenantId, entity } = input;
  const adapter = ADAPTERS.get(entity)!;
  const readStart = new Date();
  const cursor = await indexCursor(db, { tenantId, entity });
  const fresh = cursor && readStart.getTime() - cursor.fullReadAt.getTime() < DAY_MS;
  const since = fresh && adapter.changes ? new Date(cursor.readFrom.getTime() - OVERLAP_MS).toISOString() : null;
  const filter = since && adapter.changes ? changedSince(adapter.changes, since) : undefined;
  const total = await splynx.count(adapter.resource, filter);
  const progress = async (done: number) => {
    if (!(await indexRefreshProgress(db, { ...input, done, total })))
      throw new RefreshTakenOver("Another refresh of the index took over from this one.");
  };
  await progress(0);
  let read = 0;
  for await (const page of splynx.pages(adapter.resource, { filter })) {
    await indexSplynxPage(db, { tenantId, adapter, records: page.records, rejected: page.rejected });
    read += page.records.length + page.rejected.length;
    await progress(read);
  }
  const removed = filter ? 0 : await markRemoved(db, { tenantId, entity, readStart });
  await saveIndexCursor(db, { tenantId, entity, readFrom: readStart, full: !filter });
  return { entity, read, removed, incremental: Boolean(filter) };
}

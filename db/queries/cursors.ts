// Read cursors of scheduled runs (SPEC §7): where each entity's last complete read began, and its last full read.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { syncCursors, syncLinks, type SyncEntity } from "../schema";

export type Cursor = typeof syncCursors.$inferSelect;

export async function cursorsOf(db: Db, tenantId: string): Promise<Cursor[]> {
  return db.select().from(syncCursors).where(eq(syncCursors.tenantId, tenantId));
}

/** After a complete read of the entity that began at `readFrom`; a full read also moves `fullReadAt` and the basis. */
export async function saveCursor(
  db: Db,
  input: { tenantId: string; entity: SyncEntity; readFrom: Date; full: boolean; basis: string },
) {
  const { tenantId, entity, readFrom, basis } = input;
  if (!input.full) {
    // A read of changes only moves the start of the next one; it never stands for a full read.
    await db
      .update(syncCursors)
      .set({ readFrom })
      .where(and(eq(syncCursors.tenantId, tenantId), eq(syncCursors.entity, entity)));
    return;
  }
  await db
    .insert(syncCursors)
    .values({ tenantId, entity, readFrom, fullReadAt: readFrom, basis })
    .onConflictDoUpdate({
      target: [syncCursors.tenantId, syncCursors.entity],
      set: { readFrom, fullReadAt: readFrom, basis },
    });
}

/** Records a change filter would not bring back: failed or interrupted last time (oldest first, a page of them). */
export async function unsettledSplynxIds(db: Db, input: { tenantId: string; entity: SyncEntity; limit: number }) {
  const rows = await db
    .select({ splynxId: syncLinks.splynxId })
    .from(syncLinks)
    .where(
      and(
        eq(syncLinks.tenantId, input.tenantId),
        eq(syncLinks.entity, input.entity),
        inArray(syncLinks.state, ["failed", "pending"]),
      ),
    )
    .orderBy(asc(syncLinks.updatedAt))
    .limit(input.limit);
  return rows.map((row) => row.splynxId);
}

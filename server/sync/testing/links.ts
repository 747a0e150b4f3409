// Test helper: erases a tenant's links of one entity, as a reset would, leaving Zoho as it is.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { syncLinks, type SyncEntity } from "@/db/schema";

export async function deleteLinks(db: Db, tenantId: string, entity: SyncEntity) {
  await db.delete(syncLinks).where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, entity)));
}

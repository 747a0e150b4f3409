// The tenant's Zoho Books connection: tokens sealed, the organization chosen, its health.
import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { zohoConnections } from "../schema";

export type ZohoConnectionRow = typeof zohoConnections.$inferSelect;

export async function getZohoConnection(db: Db, input: { tenantId: string }) {
  const [row] = await db.select().from(zohoConnections).where(eq(zohoConnections.tenantId, input.tenantId));
  return row;
}

/** Reads the connection and holds its row until the transaction ends: one token refresh at a time, across processes. */
export async function lockZohoConnection(tx: Db, input: { tenantId: string }) {
  const [row] = await tx
    .select()
    .from(zohoConnections)
    .where(eq(zohoConnections.tenantId, input.tenantId))
    .for("update");
  return row;
}

export async function saveZohoConnection(db: Db, input: typeof zohoConnections.$inferInsert) {
  await db
    .insert(zohoConnections)
    .values(input)
    .onConflictDoUpdate({ target: zohoConnections.tenantId, set: { ...input, connectedAt: new Date() } });
}

export async function storeAccessToken(
  db: Db,
  input: { tenantId: string; accessTokenSealed: string; expiresAt: Date },
) {
  await db
    .update(zohoConnections)
    .set({
      accessTokenSealed: input.accessTokenSealed,
      accessTokenExpiresAt: input.expiresAt,
      state: "connected",
      stateReason: null,
    })
    .where(eq(zohoConnections.tenantId, input.tenantId));
}

export async function markNeedsReconnect(db: Db, input: { tenantId: string; reason: string }) {
  await db
    .update(zohoConnections)
    .set({ state: "needs_reconnect", stateReason: input.reason, accessTokenSealed: null, accessTokenExpiresAt: null })
    .where(eq(zohoConnections.tenantId, input.tenantId));
}

export async function chooseOrganization(
  db: Db,
  input: {
    tenantId: string;
    organizationId: string | null;
    organizationName: string | null;
    organizationPlan: string | null;
  },
) {
  const { organizationId, organizationName, organizationPlan } = input;
  await db
    .update(zohoConnections)
    .set({ organizationId, organizationName, organizationPlan })
    .where(eq(zohoConnections.tenantId, input.tenantId));
}

/** The organization's plan is no longer known (Zoho refused calls its plan allowed): its syncs keep to Free's limits. */
export async function forgetOrganizationPlan(db: Db, input: { tenantId: string; organizationId: string }) {
  await db
    .update(zohoConnections)
    .set({ organizationPlan: null })
    .where(and(eq(zohoConnections.tenantId, input.tenantId), eq(zohoConnections.organizationId, input.organizationId)));
}

export async function deleteZohoConnection(db: Db, input: { tenantId: string }) {
  await db.delete(zohoConnections).where(eq(zohoConnections.tenantId, input.tenantId));
}

// Pending "Connect with Zoho Books" attempts: claimed once, only by the person who started them, before they expire.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { zohoOAuthStates } from "../schema";

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export async function createOAuthState(
  db: Db,
  input: {
    tenantId: string;
    personId: string;
    region: string;
    ownClientId?: string;
    ownClientSecretSealed?: string;
    now?: Date;
  },
) {
  const now = input.now ?? new Date();
  const [row] = await db
    .insert(zohoOAuthStates)
    .values({
      tenantId: input.tenantId,
      personId: input.personId,
      region: input.region,
      ownClientId: input.ownClientId ?? null,
      ownClientSecretSealed: input.ownClientSecretSealed ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
    })
    .returning({ id: zohoOAuthStates.id });
  return row!.id;
}

/** Marks the state used and returns it; undefined when it is unknown, used, expired or someone else's. */
export async function claimOAuthState(db: Db, input: { id: string; personId: string; now?: Date }) {
  const [row] = await db
    .update(zohoOAuthStates)
    .set({ usedAt: input.now ?? new Date() })
    .where(
      and(
        eq(zohoOAuthStates.id, input.id),
        eq(zohoOAuthStates.personId, input.personId),
        isNull(zohoOAuthStates.usedAt),
        gt(zohoOAuthStates.expiresAt, input.now ?? new Date()),
      ),
    )
    .returning();
  return row;
}

export async function findOAuthState(db: Db, id: string) {
  const [row] = await db.select().from(zohoOAuthStates).where(eq(zohoOAuthStates.id, id));
  return row;
}

// The tenant's Splynx connection (secrets sealed) and the shared signature nonces.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { splynxConnections, splynxNonces, type SplynxTestResult } from "../schema";
import { clockNonce, type NonceSource } from "@/server/splynx/nonces";

export async function getSplynxConnection(db: Db, input: { tenantId: string }) {
  const [row] = await db.select().from(splynxConnections).where(eq(splynxConnections.tenantId, input.tenantId));
  return row;
}

export async function saveSplynxConnection(
  db: Db,
  input: {
    tenantId: string;
    baseUrl: string;
    authMode: "signature" | "token";
    apiKeySealed: string;
    apiSecretSealed: string;
  },
) {
  const values = { ...input, lastTest: null, updatedAt: new Date() };
  await db
    .insert(splynxConnections)
    .values(values)
    .onConflictDoUpdate({ target: splynxConnections.tenantId, set: values });
}

export async function recordSplynxTest(db: Db, input: { tenantId: string; result: SplynxTestResult }) {
  await db
    .update(splynxConnections)
    .set({ lastTest: input.result })
    .where(eq(splynxConnections.tenantId, input.tenantId));
}

/** Nonces from one row per key: an atomic `max(last + 1, clock)`, strictly increasing for every process sharing the database. */
export function databaseNonceSource(db: Db): NonceSource {
  return {
    async next(keyFingerprint) {
      const clock = clockNonce();
      const [row] = await db
        .insert(splynxNonces)
        .values({ keyFingerprint, lastNonce: clock })
        .onConflictDoUpdate({
          target: splynxNonces.keyFingerprint,
          set: { lastNonce: sql`greatest(${splynxNonces.lastNonce} + 1, excluded.last_nonce)` },
        })
        .returning({ lastNonce: splynxNonces.lastNonce });
      return row!.lastNonce;
    },
  };
}

// The tenant's Splynx connection (secrets sealed) and the shared signature nonces.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { splynxConnections, splynxNonces, type SplynxTestResult } from "../schema";
import { clockNonce, inProcessLane, type NonceSource } from "@/server/splynx/nonces";

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

const takeNonce = (db: Db, keyFingerprint: string) =>
  db
    .insert(splynxNonces)
    .values({ keyFingerprint, lastNonce: clockNonce() })
    .onConflictDoUpdate({
      target: splynxNonces.keyFingerprint,
      set: { lastNonce: sql`greatest(${splynxNonces.lastNonce} + 1, excluded.last_nonce)` },
    })
    .returning({ lastNonce: splynxNonces.lastNonce })
    .then(([row]) => row!.lastNonce);

/**
 * Nonces from one row per key: an atomic `max(last + 1, clock)`, strictly increasing for every process sharing the
 * database. An exchange in order holds the key's row locked until Splynx answers, so another process's next nonce
 * for the key waits: a nonce taken first always reaches Splynx first.
 */
export function databaseNonceSource(db: Db): NonceSource {
  return {
    next: (keyFingerprint) => takeNonce(db, keyFingerprint),
    inOrder: (keyFingerprint, exchange) =>
      inProcessLane(keyFingerprint, () => db.transaction(async (tx) => exchange(await takeNonce(tx, keyFingerprint)))),
  };
}

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

/** A connection of the pool held by one caller: what postgres-js's `reserve()` gives (PGlite has none). */
type Reserved = { unsafe(query: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>; release(): void };

function reservedConnection(db: Db): Promise<Reserved> | null {
  const client = (db as unknown as { $client?: { reserve?: () => Promise<Reserved> } }).$client;
  return typeof client?.reserve === "function" ? client.reserve() : null;
}

const LOCK_SEED = 7_342_102;
const TAKE_NONCE = `insert into splynx_nonces (key_fingerprint, last_nonce) values ($1, $2)
  on conflict (key_fingerprint) do update set last_nonce = greatest(splynx_nonces.last_nonce + 1, excluded.last_nonce)
  returning last_nonce`;

/**
 * Nonces from one row per key: an atomic `max(last + 1, clock)`, strictly increasing for every process sharing the
 * database. An exchange in order holds the key's advisory lock on a connection of its own until Splynx answers (the
 * client's timeout bounds it), so another process's exchange with the key waits: a nonce taken first reaches Splynx
 * first. The nonce commits at once: one sent by a process that then died is never handed out again.
 */
export function databaseNonceSource(db: Db): NonceSource {
  return {
    next: (keyFingerprint) => takeNonce(db, keyFingerprint),
    inOrder: (keyFingerprint, exchange) =>
      inProcessLane(keyFingerprint, async () => {
        const reserving = reservedConnection(db);
        // PGlite lives in one process, whose lane already orders the key's exchanges.
        if (!reserving) return exchange(await takeNonce(db, keyFingerprint));
        const connection = await reserving;
        try {
          await connection.unsafe("select pg_advisory_lock(hashtextextended($1, $2))", [keyFingerprint, LOCK_SEED]);
          try {
            const [row] = await connection.unsafe(TAKE_NONCE, [keyFingerprint, String(clockNonce())]);
            return await exchange(BigInt(row!.last_nonce as string));
          } finally {
            await connection.unsafe("select pg_advisory_unlock(hashtextextended($1, $2))", [keyFingerprint, LOCK_SEED]);
          }
        } finally {
          connection.release();
        }
      }),
  };
}

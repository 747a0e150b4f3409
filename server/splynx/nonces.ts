// Nonces for signature auth: strictly increasing per API key, across concurrent requests and worker processes.
import { createHash } from "node:crypto";

export interface NonceSource {
  /** The next nonce for this key: greater than every nonce handed out for it before. */
  next(keyFingerprint: string): Promise<bigint>;
  /**
   * Runs `exchange` with the next nonce while no other sender sharing this source sends with the key, so Splynx sees
   * the key's nonces in the order they were taken (it refuses one lower than the last it saw).
   */
  inOrder<T>(keyFingerprint: string, exchange: (nonce: bigint) => Promise<T>): Promise<T>;
}

// One key's exchanges go one at a time in this process (bundles included): a process holds at most one turn per key.
const laneHolder = globalThis as { ledgerlinkSplynxLanes?: Map<string, Promise<unknown>> };
laneHolder.ledgerlinkSplynxLanes ??= new Map();
const lanes = laneHolder.ledgerlinkSplynxLanes;

export function inProcessLane<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = lanes.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  lanes.set(key, settled);
  void settled.then(() => lanes.get(key) === settled && lanes.delete(key));
  return run;
}

/** Never stores the key itself: the fingerprint names it in memory and in the database. */
export const keyFingerprint = (apiKey: string) => createHash("sha256").update(apiKey).digest("hex").slice(0, 32);

/** Centiseconds since the epoch, the scale Splynx's own PHP client uses, so our nonces stay above its. */
export const clockNonce = () => BigInt(Date.now()) / 10n;

type Holder = { ledgerlinkNonces?: Map<string, bigint> };

/**
 * One process's nonces, shared by every client in it (bundles included) so two clients of one key never collide.
 * Several processes sharing a key need the database-backed source instead.
 */
export function processNonceSource(): NonceSource {
  const holder = globalThis as Holder;
  holder.ledgerlinkNonces ??= new Map<string, bigint>();
  const last = holder.ledgerlinkNonces;
  const next = async (fingerprint: string) => {
    const previous = last.get(fingerprint) ?? 0n;
    const clock = clockNonce();
    const nonce = clock > previous ? clock : previous + 1n;
    last.set(fingerprint, nonce);
    return nonce;
  };
  return {
    next,
    inOrder: (fingerprint, exchange) => inProcessLane(fingerprint, async () => exchange(await next(fingerprint))),
  };
}

// Nonces for signature auth: strictly increasing per API key, across concurrent requests and worker processes.
import { createHash } from "node:crypto";

export interface NonceSource {
  /** The next nonce for this key: greater than every nonce handed out for it before. */
  next(keyFingerprint: string): Promise<bigint>;
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
  return {
    async next(fingerprint) {
      const previous = last.get(fingerprint) ?? 0n;
      const clock = clockNonce();
      const nonce = clock > previous ? clock : previous + 1n;
      last.set(fingerprint, nonce);
      return nonce;
    },
  };
}

// Splynx signature auth: upper-case hex HMAC-SHA256, keyed by the API secret, over the nonce followed by the key.
import { createHmac } from "node:crypto";

export function splynxSignature(input: { key: string; secret: string; nonce: bigint | number }): string {
  return createHmac("sha256", input.secret).update(`${input.nonce}${input.key}`).digest("hex").toUpperCase();
}

export function signatureHeader(input: { key: string; secret: string; nonce: bigint | number }): string {
  const query = new URLSearchParams({ key: input.key, nonce: String(input.nonce), signature: splynxSignature(input) });
  return `Splynx-EA (${query.toString()})`;
}

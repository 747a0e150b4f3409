// Encryption of secrets at rest: AES-256-GCM with the key id stored beside each value, so keys can rotate.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "@/server/env";

/**
 * Where a sealed value belongs: it opens only for the same tenant and column (and host, for a secret that must never
 * be sent anywhere else), so a value copied to another row or column is refused.
 */
export type SecretBinding = { tenantId: string; column: string; host?: string };

const VERSION = "v2";
// Values sealed before bindings existed: readable, never written again, and rewritten as v2 at start-up.
const LEGACY_VERSION = "v1";
/** How a value sealed in the first format begins. */
export const LEGACY_PREFIX = `${LEGACY_VERSION}.`;

// The JSON array keeps the parts apart whatever characters a key id, column or host holds.
const associatedData = (version: string, keyId: string, binding?: SecretBinding) =>
  Buffer.from(
    version === LEGACY_VERSION
      ? keyId
      : JSON.stringify([version, keyId, binding?.tenantId, binding?.column, binding?.host ?? ""]),
  );

/** Encrypts with the first (current) key; the result is `v2.<key id>.<iv>.<tag>.<ciphertext>`, base64url. */
export function encryptSecret(plaintext: string, keys: EncryptionKey[], binding: SecretBinding): string {
  const current = keys[0];
  if (!current) throw new Error("No encryption key configured");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(associatedData(VERSION, current.id, binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    current.id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** The parts of a sealed value, read from both ends: base64url has no ".", so a key id may contain one. */
function parseSealed(sealed: string) {
  const parts = sealed.split(".");
  if (parts.length < 5) return undefined;
  const [version, iv, tag, ciphertext] = [parts[0]!, ...parts.slice(-3)] as [string, string, string, string];
  return { version, keyId: parts.slice(1, -3).join("."), iv, tag, ciphertext };
}

export function decryptSecret(sealed: string, keys: EncryptionKey[], binding: SecretBinding): string {
  const parsed = parseSealed(sealed);
  const known = parsed?.version === VERSION || parsed?.version === LEGACY_VERSION;
  if (!parsed || !known || !parsed.keyId || !parsed.iv || !parsed.tag) throw new Error("Encrypted value is malformed");
  const { version, keyId, iv, tag, ciphertext } = parsed;
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new Error(`Encryption key "${keyId}" is not configured; it is needed to read this secret`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(associatedData(version, keyId, binding));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** What the browser may see of a secret: its last four characters. */
export function maskSecret(plaintext: string): string {
  return plaintext.length <= 4 ? "••••" : `••••${plaintext.slice(-4)}`;
}

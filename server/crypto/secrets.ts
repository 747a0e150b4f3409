// Encryption of secrets at rest: AES-256-GCM with the key id stored beside each value, so keys can rotate.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "@/server/env";

const VERSION = "v1";

/** Encrypts with the first (current) key; the result is `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url. */
export function encryptSecret(plaintext: string, keys: EncryptionKey[]): string {
  const current = keys[0];
  if (!current) throw new Error("No encryption key configured");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(current.id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    current.id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

export function decryptSecret(sealed: string, keys: EncryptionKey[]): string {
  const [version, keyId, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined) {
    throw new Error("Encrypted value is malformed");
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) throw new Error(`Encryption key "${keyId}" is not configured; it is needed to read this secret`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(keyId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** What the browser may see of a secret: its last four characters. */
export function maskSecret(plaintext: string): string {
  return plaintext.length <= 4 ? "••••" : `••••${plaintext.slice(-4)}`;
}

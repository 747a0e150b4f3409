// A value as the first format sealed it (no binding, the key id as associated data), for tests of reading and rewriting.
import { createCipheriv, randomBytes } from "node:crypto";

export function sealV1(plaintext: string, key: { id: string; key: Buffer }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(Buffer.from(key.id));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", key.id, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

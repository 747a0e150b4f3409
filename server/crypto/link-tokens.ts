// Tokens carried by links in mail: random, and kept at rest only as a hash, so a database leak opens no link.
import { createHash, randomBytes } from "node:crypto";

export const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("base64url");

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}

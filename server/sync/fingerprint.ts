// A stable digest of what would be sent, so an unchanged record is recognised without asking Zoho.
import { createHash } from "node:crypto";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export const fingerprintOf = (payload: unknown) => createHash("sha256").update(canonical(payload)).digest("base64url");

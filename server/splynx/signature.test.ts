import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, splynxSignature } from "./signature";

describe("Splynx signature", () => {
  const vector = {
    key: "0123456789abcdef0123456789abcdef",
    secret: "fedcba9876543210fedcba9876543210",
    nonce: 170000000000n,
  };

  it("matches an HMAC computed here from the documented recipe", () => {
    const independent = createHmac("sha256", Buffer.from(vector.secret, "utf8"))
      .update(Buffer.from(`170000000000${vector.key}`, "utf8"))
      .digest("hex")
      .toUpperCase();
    expect(splynxSignature(vector)).toBe(independent);
    expect(splynxSignature(vector)).toBe("37BBDFE5DF580578905D9197AA8768C49B06BEFBA2FA16308E2DF8D4E94B2EE6");
  });

  it("builds the Splynx-EA header with the signed nonce", () => {
    expect(signatureHeader(vector)).toBe(
      `Splynx-EA (key=${vector.key}&nonce=170000000000&signature=37BBDFE5DF580578905D9197AA8768C49B06BEFBA2FA16308E2DF8D4E94B2EE6)`,
    );
  });
});

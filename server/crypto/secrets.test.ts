import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, maskSecret } from "./secrets";

const k1 = { id: "k1", key: Buffer.alloc(32, 1) };
const k2 = { id: "k2", key: Buffer.alloc(32, 2) };

describe("secrets at rest", () => {
  it("round-trips, never contains the plaintext, and differs every time", () => {
    const sealed = encryptSecret("api-secret-ÄÖ-1234", [k1]);
    expect(sealed).not.toContain("api-secret");
    expect(sealed).not.toBe(encryptSecret("api-secret-ÄÖ-1234", [k1]));
    expect(decryptSecret(sealed, [k1])).toBe("api-secret-ÄÖ-1234");
  });

  it("reads values sealed with an older key after rotation", () => {
    const old = encryptSecret("old secret", [k1]);
    expect(decryptSecret(old, [k2, k1])).toBe("old secret");
    expect(encryptSecret("new secret", [k2, k1]).split(".")[1]).toBe("k2");
    expect(() => decryptSecret(old, [k2])).toThrow('Encryption key "k1" is not configured');
  });

  it("refuses a tampered value", () => {
    const parts = encryptSecret("secret", [k1]).split(".");
    parts[4] = Buffer.from("SECRET").toString("base64url");
    expect(() => decryptSecret(parts.join("."), [k1])).toThrow("unable to authenticate data");
  });

  it("masks all but the last four characters", () => {
    expect(maskSecret("abcdefgh1234")).toBe("••••1234");
    expect(maskSecret("abc")).toBe("••••");
  });
});

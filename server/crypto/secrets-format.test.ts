// The sealed format of secrets at rest: each part checked, the key id bound to the ciphertext, the mask's boundary.
import { beforeAll, describe, expect, it, vi } from "vitest";

// Imported afresh, so the module's own constants (the format's version) are the code under test on every run.
let decryptSecret: typeof import("./secrets").decryptSecret;
let encryptSecret: typeof import("./secrets").encryptSecret;
let maskSecret: typeof import("./secrets").maskSecret;
beforeAll(async () => {
  vi.resetModules();
  // A module that fails to load fails every test below rather than this hook (a failed hook runs no test at all).
  ({ decryptSecret, encryptSecret, maskSecret } = await import("./secrets").catch(() => ({}) as never));
});

const k1 = { id: "k1", key: Buffer.alloc(32, 1) };
const row = { tenantId: "tenant-a", column: "zoho_connections.refresh_token" };

describe("sealed secrets", () => {
  it("is v2, the key id, and three base64url parts, and round-trips the empty string too", () => {
    const sealed = encryptSecret("", [k1], row);
    expect(sealed).toMatch(/^v2\.k1\.[\w-]{16}\.[\w-]{22}\.$/);
    expect(decryptSecret(sealed, [k1], row)).toBe("");
    expect(decryptSecret(encryptSecret("ünïcode ✓", [k1], row), [k1], row)).toBe("ünïcode ✓");
  });

  it("refuses to seal without a key", () => {
    expect(() => encryptSecret("secret", [], row)).toThrow(new Error("No encryption key configured"));
  });

  it("refuses a value missing any part, or of another version", () => {
    const [, keyId, iv, tag, ciphertext] = encryptSecret("secret", [k1], row).split(".") as [
      string,
      string,
      string,
      string,
      string,
    ];
    const malformed = new Error("Encrypted value is malformed");
    for (const parts of [
      ["v3", keyId, iv, tag, ciphertext],
      ["v2", "", iv, tag, ciphertext],
      ["v2", keyId, "", tag, ciphertext],
      ["v2", keyId, iv, "", ciphertext],
      ["v2", keyId, iv, tag],
    ]) {
      expect(() => decryptSecret(parts.join("."), [k1], row), parts.join(".")).toThrow(malformed);
    }
    expect(() => decryptSecret("", [k1], row)).toThrow(malformed);
  });

  it("binds the key id to the ciphertext: the same key under another id does not open it", () => {
    const sealed = encryptSecret("secret", [k1], row).split(".");
    sealed[1] = "k9";
    expect(() => decryptSecret(sealed.join("."), [k1, { id: "k9", key: k1.key }], row)).toThrow(
      "Unsupported state or unable to authenticate data",
    );
  });

  it("refuses a tampered value with the cipher's own complaint", () => {
    const parts = encryptSecret("secret", [k1], row).split(".");
    parts[4] = Buffer.from("SECRET").toString("base64url");
    expect(() => decryptSecret(parts.join("."), [k1], row)).toThrow("Unsupported state or unable to authenticate data");
  });

  it("shows the last four characters only of what is longer than four", () => {
    expect([maskSecret(""), maskSecret("abcd"), maskSecret("abcde"), maskSecret("secret-1234")]).toEqual([
      "••••",
      "••••",
      "••••bcde",
      "••••1234",
    ]);
  });
});

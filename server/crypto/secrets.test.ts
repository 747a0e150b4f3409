import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, maskSecret } from "./secrets";
import { sealV1 } from "./testing/seal-v1";

const k1 = { id: "k1", key: Buffer.alloc(32, 1) };
const k2 = { id: "k2", key: Buffer.alloc(32, 2) };
const row = { tenantId: "tenant-a", column: "splynx_connections.api_secret" };

describe("secrets at rest", () => {
  it("round-trips, never contains the plaintext, and differs every time", () => {
    const sealed = encryptSecret("api-secret-ÄÖ-1234", [k1], row);
    expect(sealed).not.toContain("api-secret");
    expect(sealed).not.toBe(encryptSecret("api-secret-ÄÖ-1234", [k1], row));
    expect(decryptSecret(sealed, [k1], row)).toBe("api-secret-ÄÖ-1234");
  });

  it("reads values sealed with an older key after rotation", () => {
    const old = encryptSecret("old secret", [k1], row);
    expect(decryptSecret(old, [k2, k1], row)).toBe("old secret");
    expect(encryptSecret("new secret", [k2, k1], row).split(".")[1]).toBe("k2");
    expect(() => decryptSecret(old, [k2], row)).toThrow('Encryption key "k1" is not configured');
  });

  it("refuses a tampered value", () => {
    const parts = encryptSecret("secret", [k1], row).split(".");
    parts[4] = Buffer.from("SECRET").toString("base64url");
    expect(() => decryptSecret(parts.join("."), [k1], row)).toThrow("unable to authenticate data");
  });

  it("keeps values readable under a key id containing dots, sealed now or by the first format", () => {
    const dotted = { id: "2026.11.k1", key: Buffer.alloc(32, 3) };
    expect(decryptSecret(encryptSecret("dotted", [dotted], row), [dotted], row)).toBe("dotted");
    expect(decryptSecret(sealV1("legacy dotted", dotted), [dotted], row)).toBe("legacy dotted");
  });

  it("still reads a value sealed in the first format, which carried no binding", () => {
    expect(decryptSecret(sealV1("legacy", k1), [k1], row)).toBe("legacy");
  });

  it("refuses a value moved to another tenant, another column or another host", () => {
    const sealed = encryptSecret("tenant a's secret", [k1], { ...row, host: "https://isp-a.splynx.app" });
    const refused = "Unsupported state or unable to authenticate data";
    for (const elsewhere of [
      { ...row, tenantId: "tenant-b", host: "https://isp-a.splynx.app" },
      { ...row, column: "zoho_connections.refresh_token", host: "https://isp-a.splynx.app" },
      { ...row, host: "https://attacker.example" },
      row,
    ]) {
      expect(() => decryptSecret(sealed, [k1], elsewhere), JSON.stringify(elsewhere)).toThrow(refused);
    }
    expect(decryptSecret(sealed, [k1], { ...row, host: "https://isp-a.splynx.app" })).toBe("tenant a's secret");
  });

  it("masks all but the last four characters", () => {
    expect(maskSecret("abcdefgh1234")).toBe("••••1234");
    expect(maskSecret("abc")).toBe("••••");
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const key = Buffer.alloc(32, 7).toString("base64");

describe("parseEnv", () => {
  it("generates secrets on the embedded default and keeps them across restarts", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ledgerlink-env-"));
    const first = parseEnv({ PGLITE_DIR: path.join(dir, "pglite") });
    const second = parseEnv({ PGLITE_DIR: path.join(dir, "pglite") });
    expect(first.embedded).toBe(true);
    expect(first.demoSeed).toBe(true);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.authSecret).toBe(first.authSecret);
    expect(second.encryptionKeys[0]!.key.equals(first.encryptionKeys[0]!.key)).toBe(true);
  });

  it("requires the auth secret and encryption keys with a real database, naming both", () => {
    expect(() => parseEnv({ DATABASE_URL: "postgres://db/ledgerlink" })).toThrow(EnvError);
    expect(() => parseEnv({ DATABASE_URL: "postgres://db/ledgerlink" })).toThrow(
      /AUTH_SECRET[\s\S]*LEDGERLINK_ENCRYPTION_KEYS/,
    );
  });

  it("explains malformed values", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://db" })).toThrow(
      "DATABASE_URL: must be a postgres:// or postgresql:// URL",
    );
    expect(() => parseEnv({ LEDGERLINK_ENCRYPTION_KEYS: "k1:short" })).toThrow('entry "k1" is not');
  });

  it("reads a keyring whose first key is current", () => {
    const parsed = parseEnv({
      DATABASE_URL: "postgres://db/ledgerlink",
      AUTH_SECRET: "s".repeat(40),
      LEDGERLINK_ENCRYPTION_KEYS: `k2:${key}, k1:${Buffer.alloc(32, 1).toString("base64")}`,
    });
    expect(parsed.encryptionKeys.map((entry) => entry.id)).toEqual(["k2", "k1"]);
    expect(parsed.embedded).toBe(false);
    expect(parsed.demoSeed).toBe(false);
    expect(parsed.sandbox).toBe(false);
  });

  it("guards tenant URLs in production unless told otherwise, and offers the sandbox on the embedded default", () => {
    expect(parseEnv({ NODE_ENV: "production", PGLITE_DIR: "memory://" })).toMatchObject({
      urlGuard: true,
      sandbox: true,
    });
    expect(parseEnv({ NODE_ENV: "development", PGLITE_DIR: "memory://" })).toMatchObject({ urlGuard: false });
    expect(
      parseEnv({
        NODE_ENV: "production",
        PGLITE_DIR: "memory://",
        LEDGERLINK_URL_GUARD: "off",
        LEDGERLINK_SANDBOX: "off",
      }),
    ).toMatchObject({ urlGuard: false, sandbox: false });
  });

  it("trusts no proxy unless told how many, and refuses a count that is not a small whole number", () => {
    expect(parseEnv({ PGLITE_DIR: "memory://" }).trustedProxies).toBe(0);
    expect(parseEnv({ PGLITE_DIR: "memory://", LEDGERLINK_TRUSTED_PROXIES: "2" }).trustedProxies).toBe(2);
    expect(() => parseEnv({ PGLITE_DIR: "memory://", LEDGERLINK_TRUSTED_PROXIES: "1.5" })).toThrow(
      "LEDGERLINK_TRUSTED_PROXIES: use a whole number",
    );
    expect(() => parseEnv({ PGLITE_DIR: "memory://", LEDGERLINK_TRUSTED_PROXIES: "-1" })).toThrow(
      "LEDGERLINK_TRUSTED_PROXIES: use 0 or more",
    );
  });
});

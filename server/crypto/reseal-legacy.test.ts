// Secrets sealed in the first format are rewritten as v2 on real PostgreSQL: bound to their tenant and column, still
// opening, none left behind, nothing else touched.
import { getTableColumns, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { splynxConnections, zohoConnections, zohoOAuthStates } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { env } from "@/server/env";
import { unsealSplynxCredentials } from "@/server/splynx/credentials";
import { resealLegacySecrets, SEALED_COLUMNS } from "./reseal-legacy";
import { decryptSecret, encryptSecret } from "./secrets";
import { sealV1 } from "./testing/seal-v1";
import { zohoBinding } from "./zoho-bindings";

const database = registerTestDatabase();
const refused = "Unsupported state or unable to authenticate data";

describe("resealLegacySecrets", () => {
  it("knows every sealed column of the schema", () => {
    const inSchema = Object.values(schema)
      .filter((value) => is(value, PgTable))
      .flatMap((table) => Object.values(getTableColumns(table as PgTable)))
      .filter((column) => column.name.endsWith("_sealed"));
    expect(inSchema).toHaveLength(SEALED_COLUMNS.length);
    for (const column of inSchema) expect(SEALED_COLUMNS.map((spec) => spec.column)).toContain(column);
  });

  it("rewrites every v1 value as v2 bound to its tenant and column, which still opens, and leaves the rest", async () => {
    const { db } = database;
    const keys = env().encryptionKeys;
    const [current] = keys as [(typeof keys)[number]];
    const owner = await makePerson(db, "legacy");
    const [tenant, other] = [await makeTenant(db, owner, "legacy"), await makeTenant(db, owner, "other")];
    const baseUrl = "https://isp.splynx.app";
    await db.insert(splynxConnections).values({
      tenantId: tenant.id,
      baseUrl,
      apiKeySealed: sealV1("legacy-key", current),
      apiSecretSealed: sealV1("legacy-secret", current),
    });
    await db.insert(zohoConnections).values({
      tenantId: tenant.id,
      region: "EU",
      accountsServer: "https://accounts.zoho.eu",
      apiDomain: "https://www.zohoapis.eu",
      refreshTokenSealed: sealV1("legacy-refresh", current),
      accessTokenSealed: sealV1("legacy-access", current),
      ownClientSecretSealed: sealV1("legacy-client-secret", current),
    });
    await db.insert(zohoOAuthStates).values({
      tenantId: tenant.id,
      personId: owner.id,
      region: "EU",
      ownClientSecretSealed: sealV1("legacy-state-secret", current),
      expiresAt: new Date(Date.now() + 600_000),
    });
    // Another tenant's values: one already v2, one under a key no longer configured, which cannot be rewritten.
    const modern = encryptSecret("modern-refresh", keys, zohoBinding(other.id, "refresh_token"));
    const lost = sealV1("lost-access", { id: "retired", key: Buffer.alloc(32, 9) });
    await db.insert(zohoConnections).values({
      tenantId: other.id,
      region: "EU",
      accountsServer: "https://accounts.zoho.eu",
      apiDomain: "https://www.zohoapis.eu",
      refreshTokenSealed: modern,
      accessTokenSealed: lost,
    });

    expect(await resealLegacySecrets(db, keys)).toEqual({ resealed: 6, unreadable: 1 });

    const [splynx] = await db.select().from(splynxConnections);
    const zoho = await db.select().from(zohoConnections);
    const [state] = await db.select().from(zohoOAuthStates);
    const mine = zoho.find((row) => row.tenantId === tenant.id)!;
    const theirs = zoho.find((row) => row.tenantId === other.id)!;
    const rewritten = [
      splynx!.apiKeySealed,
      splynx!.apiSecretSealed,
      mine.refreshTokenSealed,
      mine.accessTokenSealed!,
      mine.ownClientSecretSealed!,
      state!.ownClientSecretSealed!,
    ];
    for (const value of rewritten) expect(value).toMatch(new RegExp(`^v2\\.${current.id}\\.`));
    expect(theirs).toMatchObject({ refreshTokenSealed: modern, accessTokenSealed: lost });

    expect(unsealSplynxCredentials(splynx!)).toEqual({ apiKey: "legacy-key", apiSecret: "legacy-secret" });
    const open = (value: string, tenantId: string, column: Parameters<typeof zohoBinding>[1]) =>
      decryptSecret(value, keys, zohoBinding(tenantId, column));
    expect(open(mine.refreshTokenSealed, tenant.id, "refresh_token")).toBe("legacy-refresh");
    expect(open(mine.accessTokenSealed!, tenant.id, "access_token")).toBe("legacy-access");
    expect(open(mine.ownClientSecretSealed!, tenant.id, "own_client_secret")).toBe("legacy-client-secret");
    expect(open(state!.ownClientSecretSealed!, tenant.id, "own_client_secret")).toBe("legacy-state-secret");
    // Bound now: moved to another tenant or another column, the value no longer opens.
    expect(() => open(mine.refreshTokenSealed, other.id, "refresh_token")).toThrow(refused);
    expect(() => open(mine.refreshTokenSealed, tenant.id, "access_token")).toThrow(refused);
    expect(() => unsealSplynxCredentials({ ...splynx!, baseUrl: "https://attacker.example" })).toThrow(
      "The stored API secret was not entered for this Splynx URL",
    );

    expect(await resealLegacySecrets(db, keys)).toEqual({ resealed: 0, unreadable: 1 });
  });
});

// Pending "Connect with Zoho Books" attempts: stored whole, claimed once, by their person, strictly before they expire.
import { describe, expect, it, vi } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { claimOAuthState, createOAuthState, findOAuthState, OAUTH_STATE_TTL_MS } from "./zoho-oauth-states";

const database = registerTestDatabase();
const CREATED = new Date("2026-11-01T12:00:00Z");

async function started(ownApp = false) {
  const { db } = database;
  const person = await makePerson(db, "connector");
  const tenant = await makeTenant(db, person);
  const id = await createOAuthState(db, {
    tenantId: tenant.id,
    personId: person.id,
    region: "EU",
    now: CREATED,
    ...(ownApp ? { ownClientId: "own-client", ownClientSecretSealed: "sealed-secret" } : {}),
  });
  return { db, person, tenant, id };
}

describe("OAuth states", () => {
  it("keeps the tenant, person, region and own app, expiring ten minutes after it was made", async () => {
    const { db, person, tenant, id } = await started(true);
    vi.resetModules();
    expect((await import("./zoho-oauth-states")).OAUTH_STATE_TTL_MS).toBe(600_000);
    expect(await findOAuthState(db, id)).toEqual({
      id,
      tenantId: tenant.id,
      personId: person.id,
      region: "EU",
      ownClientId: "own-client",
      ownClientSecretSealed: "sealed-secret",
      createdAt: CREATED,
      expiresAt: new Date(CREATED.getTime() + 600_000),
      usedAt: null,
    });
    const plain = await started();
    expect(await findOAuthState(plain.db, plain.id)).toMatchObject({ ownClientId: null, ownClientSecretSealed: null });
  });

  it("is claimed once, by its own person, up to its last millisecond", async () => {
    const { db, id, person } = await started();
    const stranger = await makePerson(db, "stranger");
    const lastMoment = new Date(CREATED.getTime() + OAUTH_STATE_TTL_MS - 1);
    expect(await claimOAuthState(db, { id, personId: stranger.id, now: lastMoment })).toBeUndefined();
    expect(await claimOAuthState(db, { id, personId: person.id, now: lastMoment })).toMatchObject({
      id,
      usedAt: lastMoment,
    });
    expect(await claimOAuthState(db, { id, personId: person.id, now: lastMoment })).toBeUndefined();
    expect(await findOAuthState(db, id)).toMatchObject({ usedAt: lastMoment });
  });

  it("is refused from the moment it expires, and stays unused", async () => {
    const { db, id, person } = await started();
    const expiry = new Date(CREATED.getTime() + OAUTH_STATE_TTL_MS);
    expect(await claimOAuthState(db, { id, personId: person.id, now: expiry })).toBeUndefined();
    expect(await findOAuthState(db, id)).toMatchObject({ usedAt: null });
    expect(await findOAuthState(db, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { makePerson, makeTenant, TEST_PASSWORD } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ADDRESS_POLICY, authenticate, EMAIL_BACKSTOP_POLICY, PAIR_POLICY } from "./authenticate";

const database = registerTestDatabase();

describe("authenticate", () => {
  it("signs in with the right password, any e-mail case, and audits it in each of the person's tenants", async () => {
    const { db } = database;
    const person = await makePerson(db, "alice");
    const tenant = await makeTenant(db, person);
    const result = await authenticate(db, {
      email: person.email.toUpperCase(),
      password: TEST_PASSWORD,
      ip: "198.51.100.1",
    });
    expect(result).toEqual({ ok: true, person });
    const entries = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    expect(entries.filter((entry) => entry.action === "auth.sign_in")).toMatchObject([
      { actorId: person.id, ip: "198.51.100.1" },
    ]);
  });

  it("refuses a wrong password and an unknown e-mail alike", async () => {
    const { db } = database;
    const person = await makePerson(db, "bob");
    expect(await authenticate(db, { email: person.email, password: "wrong", ip: null })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await authenticate(db, { email: "nobody@example.test", password: "wrong", ip: null })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("gives parallel guesses no more password checks than the limit: each attempt is counted before its check", async () => {
    const { db } = database;
    const person = await makePerson(db, "parallel");
    const now = new Date("2026-11-25T09:00:00Z");
    const guesses = Array.from({ length: 4 * PAIR_POLICY.maxAttempts }, (_, index) =>
      authenticate(db, { email: person.email, password: `guess-${index}`, ip: "203.0.113.9", now }),
    );
    const reasons = (await Promise.all(guesses)).map((result) => (result.ok ? "ok" : result.reason));
    expect(reasons.filter((reason) => reason === "invalid")).toHaveLength(PAIR_POLICY.maxAttempts);
    expect(reasons.filter((reason) => reason === "throttled")).toHaveLength(3 * PAIR_POLICY.maxAttempts);
  });

  it("locks one e-mail from one address, even for the right password, while the person's other address gets in", async () => {
    const { db } = database;
    const person = await makePerson(db, "carol");
    const now = new Date("2026-11-25T10:00:00Z");
    for (let attempt = 0; attempt < PAIR_POLICY.maxAttempts; attempt++) {
      await authenticate(db, { email: person.email, password: `guess-${attempt}`, ip: "192.0.2.66", now });
    }
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "192.0.2.66", now }),
    ).toMatchObject({ ok: false, reason: "throttled", retryAt: new Date(now.getTime() + PAIR_POLICY.lockMs) });
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "192.0.2.10", now }),
    ).toMatchObject({ ok: true });
    const later = new Date(now.getTime() + PAIR_POLICY.lockMs + 1000);
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "192.0.2.66", now: later }),
    ).toMatchObject({ ok: true });
  });

  it("stops guesses spread over many addresses, but not the person at an address they signed in from", async () => {
    const { db } = database;
    const person = await makePerson(db, "dave");
    const now = new Date("2026-11-25T11:00:00Z");
    const home = "198.51.100.200";
    expect(await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: home, now })).toMatchObject({
      ok: true,
    });
    const outcomes: string[] = [];
    for (let attempt = 0; attempt <= EMAIL_BACKSTOP_POLICY.maxAttempts; attempt++) {
      const result = await authenticate(db, { email: person.email, password: "guess", ip: `10.9.0.${attempt}`, now });
      outcomes.push(result.ok ? "ok" : result.reason);
    }
    expect(outcomes).toEqual([...Array(EMAIL_BACKSTOP_POLICY.maxAttempts).fill("invalid"), "throttled"]);
    expect(await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "10.9.1.1", now })).toMatchObject(
      { reason: "throttled" },
    );
    expect(await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: home, now })).toMatchObject({
      ok: true,
    });
  });

  it("locks an address that fails across many e-mails, and only that address", async () => {
    const { db } = database;
    const victim = await makePerson(db, "erin");
    const now = new Date("2026-11-25T12:00:00Z");
    for (let attempt = 0; attempt < ADDRESS_POLICY.maxAttempts; attempt++) {
      await authenticate(db, { email: `spray-${attempt}@example.test`, password: "guess", ip: "203.0.113.50", now });
    }
    expect(
      await authenticate(db, { email: victim.email, password: TEST_PASSWORD, ip: "203.0.113.50", now }),
    ).toMatchObject({ reason: "throttled" });
    expect(
      await authenticate(db, { email: victim.email, password: TEST_PASSWORD, ip: "203.0.113.51", now }),
    ).toMatchObject({ ok: true });
  });

  it("forgets failures older than the window", async () => {
    const { db } = database;
    const person = await makePerson(db, "frank");
    const start = new Date("2026-11-25T13:00:00Z");
    for (let attempt = 0; attempt < PAIR_POLICY.maxAttempts - 1; attempt++) {
      await authenticate(db, { email: person.email, password: "guess", ip: null, now: start });
    }
    const afterWindow = new Date(start.getTime() + PAIR_POLICY.windowMs + 1000);
    await authenticate(db, { email: person.email, password: "guess", ip: null, now: afterWindow });
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: null, now: afterWindow }),
    ).toMatchObject({ ok: true });
  });
});

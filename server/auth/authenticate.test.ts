import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { makePerson, makeTenant, TEST_PASSWORD } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ADDRESS_POLICY, authenticate, EMAIL_POLICY } from "./authenticate";

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

  it("locks an e-mail after repeated failures, even for the right password, until the lock ends", async () => {
    const { db } = database;
    const person = await makePerson(db, "carol");
    const now = new Date("2026-11-25T10:00:00Z");
    for (let attempt = 0; attempt < EMAIL_POLICY.maxFailures; attempt++) {
      await authenticate(db, { email: person.email, password: `guess-${attempt}`, ip: `192.0.2.${attempt}`, now });
    }
    const locked = await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "192.0.2.99", now });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    const later = new Date(now.getTime() + EMAIL_POLICY.lockMs + 1000);
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: "192.0.2.99", now: later }),
    ).toMatchObject({ ok: true });
  });

  it("locks an address that fails across many e-mails", async () => {
    const { db } = database;
    const victim = await makePerson(db, "dave");
    const now = new Date("2026-11-25T11:00:00Z");
    for (let attempt = 0; attempt < ADDRESS_POLICY.maxFailures; attempt++) {
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
    const person = await makePerson(db, "erin");
    const start = new Date("2026-11-25T12:00:00Z");
    for (let attempt = 0; attempt < EMAIL_POLICY.maxFailures - 1; attempt++) {
      await authenticate(db, { email: person.email, password: "guess", ip: null, now: start });
    }
    const afterWindow = new Date(start.getTime() + EMAIL_POLICY.windowMs + 1000);
    await authenticate(db, { email: person.email, password: "guess", ip: null, now: afterWindow });
    expect(
      await authenticate(db, { email: person.email, password: TEST_PASSWORD, ip: null, now: afterWindow }),
    ).toMatchObject({ ok: true });
  });
});

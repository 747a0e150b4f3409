// Sign-up tells no one whether an e-mail has an account, changes nothing of an existing one, and is throttled.
import { describe, expect, it } from "vitest";
import { findPersonByEmail } from "@/db/queries/people";
import { makePerson, TEST_PASSWORD } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { authenticate } from "./authenticate";
import { SIGN_UP_POLICY, signUp } from "./sign-up";

const database = registerTestDatabase();

describe("signUp", () => {
  it("answers an e-mail that has an account exactly as a new one, and leaves that account as it was", async () => {
    const { db } = database;
    const existing = await makePerson(db, "owner");
    const client = { ip: "198.51.100.30" };
    const taken = await signUp(
      db,
      { name: "Mallory", email: existing.email.toUpperCase(), password: "mallory's pick" },
      client,
    );
    const fresh = await signUp(
      db,
      { name: "Newcomer", email: "NEW-person@example.test", password: "a new password" },
      client,
    );
    expect(taken).toEqual({ ok: true, email: existing.email });
    expect(fresh).toEqual({ ok: true, email: "new-person@example.test" });
    expect(await findPersonByEmail(db, existing.email)).toMatchObject({ name: "owner" });
    expect(await authenticate(db, { email: existing.email, password: "mallory's pick", ip: null })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await authenticate(db, { email: existing.email, password: TEST_PASSWORD, ip: null })).toMatchObject({
      ok: true,
    });
  });

  it("refuses sign-ups past the limit from one client address, invalid ones counted too, and only from it", async () => {
    const { db } = database;
    const now = new Date("2026-11-25T14:00:00Z");
    const flood = { ip: "203.0.113.80", now };
    for (let attempt = 0; attempt < SIGN_UP_POLICY.maxAttempts; attempt++) {
      expect(await signUp(db, { name: "", email: "not an e-mail", password: "short" }, flood)).toMatchObject({
        ok: false,
      });
    }
    const valid = { name: "Scripted", email: "scripted@example.test", password: "a long password" };
    expect(await signUp(db, valid, flood)).toEqual({ ok: false, throttled: true });
    expect(await findPersonByEmail(db, valid.email)).toBeUndefined();
    expect(await signUp(db, valid, { ip: "203.0.113.81", now })).toEqual({ ok: true, email: valid.email });
  });
});

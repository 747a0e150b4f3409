// Password reset through the outbox on real PostgreSQL: no account enumeration, single-use hashed tokens, expiry,
// throttling, and the password rules of sign-up.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listOutbox } from "@/db/queries/mail-outbox";
import { findPersonByEmail } from "@/db/queries/people";
import { mailOutbox, passwordResetTokens } from "@/db/schema";
import { makePerson } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { INVALID_RESET_LINK, requestPasswordReset, resetPassword } from "./password-reset";
import { verifyPassword } from "./password";

const database = registerTestDatabase();
const origin = "http://localhost:3000";

async function mailTo(email: string) {
  const mails = (await listOutbox(database.db, { limit: 50 })).filter((mail) => mail.to === email);
  return mails;
}

const tokenIn = (text: string) => new URL(/http\S+/.exec(text)![0]).searchParams.get("token")!;

describe("password reset", () => {
  it("answers alike for known and unknown addresses, and mails a link only to an account", async () => {
    const person = await makePerson(database.db, "forgetful");
    const unknown = `nobody-${person.id.slice(0, 8)}@example.test`;
    const known = await requestPasswordReset(database.db, { email: person.email.toUpperCase(), ip: null, origin });
    const stranger = await requestPasswordReset(database.db, { email: unknown, ip: null, origin });
    expect(known).toEqual({ outcome: "sent", delivery: "outbox" });
    expect(stranger).toEqual(known);
    expect(await mailTo(unknown)).toEqual([]);
    const [mail] = await mailTo(person.email);
    expect(mail!.subject).toBe("Reset your Ledgerlink password");
    expect(mail!.text).toContain(`${origin}/reset-password?token=`);
    // Only the hash is kept: the token in the mail is nowhere in the database.
    const token = tokenIn(mail!.text);
    const rows = await database.db.select().from(passwordResetTokens);
    expect(rows.filter((row) => row.tokenHash === token)).toEqual([]);
  });

  it("sets the new password once with a token, by the sign-up rules, and never again with it", async () => {
    const person = await makePerson(database.db, "resetter");
    await requestPasswordReset(database.db, { email: person.email, ip: null, origin });
    await requestPasswordReset(database.db, { email: person.email, ip: null, origin });
    const [newest, older] = await mailTo(person.email);
    const token = tokenIn(newest!.text);
    expect(await resetPassword(database.db, { token, password: "short" })).toEqual({
      ok: false,
      field: "password",
      message: "Use at least 10 characters",
    });
    expect(await resetPassword(database.db, { token, password: "a brand new password" })).toEqual({
      ok: true,
      email: person.email,
    });
    const stored = await findPersonByEmail(database.db, person.email);
    expect(await verifyPassword("a brand new password", stored!.passwordHash)).toBe(true);
    const again = { ok: false, field: "token", message: INVALID_RESET_LINK };
    expect(await resetPassword(database.db, { token, password: "another new password" })).toEqual(again);
    // Using one link ends the person's other open links.
    expect(await resetPassword(database.db, { token: tokenIn(older!.text), password: "another new password" })).toEqual(
      again,
    );
    expect(await resetPassword(database.db, { token: "made-up-token", password: "another new password" })).toEqual(
      again,
    );
  });

  it("refuses a link past its hour", async () => {
    const person = await makePerson(database.db, "late");
    const asked = new Date(Date.now() - 61 * 60 * 1000);
    await requestPasswordReset(database.db, { email: person.email, ip: null, origin, now: asked });
    const [mail] = await mailTo(person.email);
    expect(await resetPassword(database.db, { token: tokenIn(mail!.text), password: "too late a password" })).toEqual({
      ok: false,
      field: "token",
      message: INVALID_RESET_LINK,
    });
  });

  it("throttles an address after three requests an hour, whether or not it has an account", async () => {
    const person = await makePerson(database.db, "hammered");
    const unknown = `ghost-${person.id.slice(0, 8)}@example.test`;
    for (const email of [person.email, unknown]) {
      for (let attempt = 0; attempt < 3; attempt++)
        expect(await requestPasswordReset(database.db, { email, ip: null, origin })).toMatchObject({ outcome: "sent" });
      expect(await requestPasswordReset(database.db, { email, ip: null, origin })).toEqual({ outcome: "throttled" });
    }
    expect(await mailTo(person.email)).toHaveLength(3);
    const mails = await database.db.select().from(mailOutbox).where(eq(mailOutbox.to, unknown));
    expect(mails).toEqual([]);
  });
});

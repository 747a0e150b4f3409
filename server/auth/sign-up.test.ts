// Sign-up on real PostgreSQL: one answer for every address, confirmation by a single-use expiring link, no sign-in
// before it, invitations as proof of the address, and throttling.
import { describe, expect, it } from "vitest";
import { createInvitation } from "@/db/queries/invitations";
import { listOutbox } from "@/db/queries/mail-outbox";
import { findPersonByEmail } from "@/db/queries/people";
import { makePerson, makeTenant, TEST_PASSWORD } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { authenticate, PAIR_POLICY } from "./authenticate";
import { CONFIRMATION_TTL_MS, confirmEmail, resendConfirmation } from "./email-confirmation";
import { MAIL_PER_ADDRESS } from "./mailed-links";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { signUp, signUpPolicy } from "./sign-up";

const database = registerTestDatabase();
const origin = "http://localhost:3000";
const client = (ip: string, now?: Date) => ({ ip, origin, callbackPath: "/", now });
const CHECK_MAIL = { ok: true, outcome: "check-mail", delivery: "outbox" };
const INVALID_LINK = { ok: false, reason: "invalid-link" };

const mailTo = async (email: string) =>
  (await listOutbox(database.db, { limit: 200 })).filter((mail) => mail.to === email);
const tokenIn = (text: string) => new URL(/http\S+confirm-email\S+/.exec(text)![0]).searchParams.get("token")!;
const signIn = (email: string, password: string, now?: Date) =>
  authenticate(database.db, { email, password, ip: null, now });

describe("signUp", () => {
  it("answers an address that has an account exactly as a new one, and mails each its own kind of message", async () => {
    const { db } = database;
    const existing = await makePerson(db, "owner");
    const taken = await signUp(
      db,
      { name: "Mallory", email: existing.email.toUpperCase(), password: "mallory's pick" },
      client("198.51.100.30"),
    );
    const newcomer = `new-${existing.id.slice(0, 8)}@example.test`;
    const fresh = await signUp(
      db,
      { name: "Newcomer", email: newcomer.toUpperCase(), password: "a new password" },
      client("198.51.100.30"),
    );
    expect(taken).toEqual(CHECK_MAIL);
    expect(fresh).toEqual(CHECK_MAIL);

    expect(await findPersonByEmail(db, existing.email)).toMatchObject({ name: "owner" });
    expect(await signIn(existing.email, "mallory's pick")).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn(existing.email, TEST_PASSWORD)).toMatchObject({ ok: true });
    const [attempt, ...otherToOwner] = await mailTo(existing.email);
    expect(otherToOwner).toEqual([]);
    expect(attempt!.subject).toBe("Someone tried to sign up to Ledgerlink with your address");
    expect(attempt!.text).toContain(`${origin}/forgot-password`);
    expect(attempt!.text).not.toContain("token");

    const [confirmation, ...otherToNewcomer] = await mailTo(newcomer);
    expect(otherToNewcomer).toEqual([]);
    expect(confirmation!.subject).toBe("Confirm your e-mail address for Ledgerlink");
    expect(confirmation!.text).toContain(`${origin}/confirm-email?token=`);
  });

  it("keeps a new account from signing in until its link confirms it, once", async () => {
    const email = `confirm-me-${Date.now()}@example.test`;
    await signUp(database.db, { name: "Carla", email, password: "carla's password" }, client("198.51.100.31"));
    expect(await signIn(email, "carla's password")).toEqual({ ok: false, reason: "unconfirmed" });
    // Only the password's holder learns the account waits for confirmation.
    expect(await signIn(email, "a wrong password")).toEqual({ ok: false, reason: "invalid" });

    const [mail] = await mailTo(email);
    const token = tokenIn(mail!.text);
    const confirm = () => confirmEmail(database.db, { token, password: "carla's password", ip: null });
    expect(await confirm()).toMatchObject({ ok: true, person: { email, name: "Carla" } });
    expect(await confirm()).toEqual(INVALID_LINK);
    expect(await signIn(email, "carla's password")).toMatchObject({ ok: true, person: { email } });
  });

  it("refuses a link past its 24 hours, and a made-up one", async () => {
    const asked = new Date(Date.now() - CONFIRMATION_TTL_MS - 60_000);
    const email = `late-${asked.getTime()}@example.test`;
    await signUp(database.db, { name: "Late", email, password: "a late password" }, client("198.51.100.32", asked));
    const [mail] = await mailTo(email);
    const confirm = (token: string) => confirmEmail(database.db, { token, password: "a late password", ip: null });
    expect(await confirm(tokenIn(mail!.text))).toEqual(INVALID_LINK);
    expect(await confirm("made-up-token-of-enough-length")).toEqual(INVALID_LINK);
    expect(await signIn(email, "a late password")).toEqual({ ok: false, reason: "unconfirmed" });
  });

  it("sends a new link on request that replaces the old, and answers alike for addresses it mails nothing", async () => {
    const { db } = database;
    const email = `resend-${Date.now()}@example.test`;
    await signUp(db, { name: "Resent", email, password: "resent password" }, client("198.51.100.33"));
    const confirmed = await makePerson(db, "confirmed");
    const unknown = `nobody-${Date.now()}@example.test`;
    const sent = { outcome: "sent", delivery: "outbox" };
    for (const address of [email, confirmed.email, unknown])
      expect(await resendConfirmation(db, { email: address, ip: null, origin }), address).toEqual(sent);
    expect(await mailTo(confirmed.email)).toEqual([]);
    expect(await mailTo(unknown)).toEqual([]);

    const [newest, first] = await mailTo(email);
    const confirm = (token: string) => confirmEmail(db, { token, password: "resent password", ip: null });
    expect(await confirm(tokenIn(first!.text))).toEqual(INVALID_LINK);
    expect(await confirm(tokenIn(newest!.text))).toMatchObject({ ok: true, person: { email } });
  });

  it("mails one address a few times an hour at most, answering the same after", async () => {
    const { db } = database;
    const existing = await makePerson(db, "flooded");
    for (let attempt = 0; attempt <= MAIL_PER_ADDRESS.maxAttempts; attempt++) {
      const ip = `198.51.100.${40 + attempt}`;
      const input = { name: "Flood", email: existing.email, password: "flooding password" };
      expect(await signUp(db, input, client(ip))).toEqual(CHECK_MAIL);
    }
    expect(await mailTo(existing.email)).toHaveLength(MAIL_PER_ADDRESS.maxAttempts);
  });

  it("creates an invited address confirmed, and treats any other address on that invite as a plain sign-up", async () => {
    const { db } = database;
    const owner = await makePerson(db, "inviter");
    const tenant = await makeTenant(db, owner);
    const invited = `invited-${owner.id.slice(0, 8)}@example.test`;
    const { token } = await createInvitation(db, {
      tenantId: tenant.id,
      email: invited,
      role: "viewer",
      invitedBy: owner.id,
    });
    const fromInvite = { ...client("198.51.100.50"), callbackPath: `/invite/${token}` };
    const other = `uninvited-${owner.id.slice(0, 8)}@example.test`;
    expect(await signUp(db, { name: "Other", email: other, password: "other password" }, fromInvite)).toEqual(
      CHECK_MAIL,
    );
    expect(await signIn(other, "other password")).toEqual({ ok: false, reason: "unconfirmed" });

    expect(await signUp(db, { name: "Invitee", email: invited, password: "invitee password" }, fromInvite)).toEqual({
      ok: true,
      outcome: "invited",
      email: invited,
    });
    expect(await signIn(invited, "invitee password")).toMatchObject({ ok: true });
    expect(await mailTo(invited)).toEqual([]);
  });

  it("confirms nothing and signs in no one on the link without the password chosen at sign-up", async () => {
    const { db } = database;
    const victim = `pre-taken-${Date.now()}@example.test`;
    await signUp(db, { name: "Squatter", email: victim, password: "squatter's password" }, client("203.0.113.70"));
    const token = tokenIn((await mailTo(victim))[0]!.text);
    // The address's owner opens the mailed link without having signed up: whatever they type is not the password.
    const opened = await confirmEmail(db, { token, password: "victim's guess", ip: "198.51.100.71" });
    expect(opened).toEqual({ ok: false, reason: "invalid" });
    expect((await findPersonByEmail(db, victim))!.emailConfirmedAt).toBeNull();
    expect(await signIn(victim, "squatter's password")).toEqual({ ok: false, reason: "unconfirmed" });

    // The link stays usable for the password's holder until it expires, and then works once.
    const confirmed = await confirmEmail(db, { token, password: "squatter's password", ip: "203.0.113.70" });
    expect(confirmed).toMatchObject({ ok: true, person: { email: victim } });
    expect(await confirmEmail(db, { token, password: "squatter's password", ip: null })).toEqual(INVALID_LINK);
  });

  it("throttles wrong passwords on the link like sign-in", async () => {
    const { db } = database;
    const email = `guessed-${Date.now()}@example.test`;
    await signUp(db, { name: "Guessed", email, password: "the real password" }, client("203.0.113.72"));
    const token = tokenIn((await mailTo(email))[0]!.text);
    for (let attempt = 0; attempt < PAIR_POLICY.maxAttempts; attempt++)
      expect(await confirmEmail(db, { token, password: `guess ${attempt}`, ip: "203.0.113.73" })).toEqual({
        ok: false,
        reason: "invalid",
      });
    const throttled = await confirmEmail(db, { token, password: "the real password", ip: "203.0.113.73" });
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    expect((await findPersonByEmail(db, email))!.emailConfirmedAt).toBeNull();
  });

  it("gives an account someone else created with an address to its owner once they reset the password", async () => {
    const { db } = database;
    const victim = `victim-${Date.now()}@example.test`;
    await signUp(db, { name: "Squatter", email: victim, password: "squatter's password" }, client("203.0.113.60"));
    expect(
      await signUp(db, { name: "Victim", email: victim, password: "victim's password" }, client("198.51.100.61")),
    ).toEqual(CHECK_MAIL);
    expect((await mailTo(victim)).map((mail) => mail.subject)).toEqual([
      "Someone tried to sign up to Ledgerlink with your address",
      "Confirm your e-mail address for Ledgerlink",
    ]);
    await requestPasswordReset(db, { email: victim, ip: null, origin });
    const [reset] = await mailTo(victim);
    const token = new URL(/http\S+/.exec(reset!.text)![0]).searchParams.get("token")!;
    expect(await resetPassword(db, { token, password: "victim's own password" })).toEqual({ ok: true, email: victim });
    expect(await signIn(victim, "victim's own password")).toMatchObject({ ok: true });
    expect(await signIn(victim, "squatter's password")).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses sign-ups past the limit from one client address, invalid ones counted too, and only from it", async () => {
    const { db } = database;
    const now = new Date("2026-11-25T14:00:00Z");
    for (let attempt = 0; attempt < signUpPolicy().maxAttempts; attempt++) {
      const invalid = { name: "", email: "not an e-mail", password: "short" };
      expect(await signUp(db, invalid, client("203.0.113.80", now))).toMatchObject({ ok: false });
    }
    const valid = { name: "Scripted", email: "scripted@example.test", password: "a long password" };
    expect(await signUp(db, valid, client("203.0.113.80", now))).toEqual({ ok: false, throttled: true });
    expect(await findPersonByEmail(db, valid.email)).toBeUndefined();
    expect(await signUp(db, valid, client("203.0.113.81", now))).toEqual(CHECK_MAIL);
  });
});

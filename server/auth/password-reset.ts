// "Forgot password": a reset link by mail with the same answer for every address, throttled; then a new password.
import type { Db } from "@/db/client";
import { findPersonByEmail, getPerson } from "@/db/queries/people";
import { consumeResetToken, createResetToken, setPasswordHash } from "@/db/queries/password-resets";
import { takeAttempts, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { appLink, mailDelivery } from "@/server/mail/config";
import { passwordResetMail } from "@/server/mail/messages";
import { sendMail } from "@/server/mail/send";
import { hashPassword } from "./password";
import { signUpInput } from "./sign-up";

const HOUR_MS = 60 * 60 * 1000;
/** A few mails an hour per address, more per client address (people share offices), then an hour's pause. */
const PER_EMAIL: ThrottlePolicy = { maxAttempts: 3, windowMs: HOUR_MS, lockMs: HOUR_MS };
const PER_CLIENT: ThrottlePolicy = { maxAttempts: 20, windowMs: HOUR_MS, lockMs: HOUR_MS };

export type ResetRequest =
  | { outcome: "sent"; delivery: "smtp" | "outbox" }
  | { outcome: "throttled" }
  | { outcome: "unavailable" };

/**
 * Sends a reset link when the address has an account. The answer never depends on whether it has one: throttling
 * counts the address as typed, and an unknown address answers as a known one does.
 */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; ip: string | null; origin: string; now?: Date },
): Promise<ResetRequest> {
  const delivery = mailDelivery();
  if (delivery.kind === "off") return { outcome: "unavailable" };
  const email = input.email.trim().toLowerCase();
  const keys: [string, ThrottlePolicy][] = [[`reset-email:${email}`, PER_EMAIL]];
  if (input.ip) keys.push([`reset-ip:${input.ip}`, PER_CLIENT]);
  if (await takeAttempts(db, keys, input.now)) return { outcome: "throttled" };
  const person = await findPersonByEmail(db, email);
  if (person) {
    const { token, expiresAt } = await createResetToken(db, { personId: person.id, now: input.now });
    const link = appLink(delivery, input.origin, `/reset-password?token=${encodeURIComponent(token)}`);
    await sendMail(db, passwordResetMail({ to: person.email, link, expiresAt }), delivery);
  }
  return { outcome: "sent", delivery: delivery.kind };
}

export const INVALID_RESET_LINK =
  "This reset link is not valid any more (used, expired or mistyped). Ask for a new one.";

export type ResetResult = { ok: true; email: string } | { ok: false; field: "password" | "token"; message: string };

/** Sets the new password with the token, which is used up; the same rules as at sign-up apply to the password. */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string; now?: Date },
): Promise<ResetResult> {
  const parsed = signUpInput.shape.password.safeParse(input.password);
  if (!parsed.success) return { ok: false, field: "password", message: parsed.error.issues[0]!.message };
  const passwordHash = await hashPassword(parsed.data);
  return db.transaction(async (tx) => {
    const personId = await consumeResetToken(tx, { token: input.token, now: input.now });
    if (!personId) return { ok: false as const, field: "token" as const, message: INVALID_RESET_LINK };
    await setPasswordHash(tx, { personId, passwordHash });
    const person = await getPerson(tx, personId);
    return { ok: true as const, email: person!.email };
  });
}

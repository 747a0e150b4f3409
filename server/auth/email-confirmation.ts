// E-mail confirmation after sign-up: a single-use, expiring link by mail that, with the password chosen at sign-up,
// confirms the account and signs it in.
import type { Db } from "@/db/client";
import { type Confirmation, findPersonByConfirmation, replaceConfirmation } from "@/db/queries/people";
import { takeAttempts } from "@/db/queries/sign-in-throttle";
import { hashLinkToken, newLinkToken } from "@/server/crypto/link-tokens";
import { appLink, type MailDelivery } from "@/server/mail/config";
import { confirmEmailMail } from "@/server/mail/messages";
import type { OutgoingMail } from "@/db/queries/mail-outbox";
import { sendMail } from "@/server/mail/send";
import { type AuthenticationResult, authenticate } from "./authenticate";
import { answerMailedLinkRequest, MAIL_PER_ADDRESS, type MailedLinkAnswer } from "./mailed-links";

export const CONFIRMATION_TTL_MS = 24 * 60 * 60 * 1000;
// Sign-up's mail and a resend count against one limit per address.
const SIGN_UP_MAIL = "signup-mail";

export function newConfirmation(now: Date): { token: string; confirmation: Confirmation } {
  const { token, tokenHash } = newLinkToken();
  return { token, confirmation: { tokenHash, expiresAt: new Date(now.getTime() + CONFIRMATION_TTL_MS) } };
}

/**
 * Whether this address may be mailed now; counted per address as typed, known or not, under the same key as a resend:
 * sign-up and resend together cannot flood a mailbox.
 */
export async function mayMail(db: Db, email: string, now?: Date): Promise<boolean> {
  return !(await takeAttempts(db, [[`${SIGN_UP_MAIL}:${email}`, MAIL_PER_ADDRESS]], now));
}

/** Sends and never throws: an answer that differed on a failed send would tell which kind of mail was due. */
export async function sendQuietly(db: Db, mail: OutgoingMail, delivery: MailDelivery): Promise<void> {
  try {
    await sendMail(db, mail, delivery);
  } catch (error) {
    console.error("A sign-up mail could not be sent:", error instanceof Error ? error.message : error);
  }
}

export async function mailConfirmation(
  db: Db,
  input: { to: string; token: string; expiresAt: Date; origin: string; callbackPath: string; delivery: MailDelivery },
): Promise<void> {
  const query = new URLSearchParams({ token: input.token });
  if (input.callbackPath !== "/") query.set("callbackUrl", input.callbackPath);
  const link = appLink(input.delivery, input.origin, `/confirm-email?${query}`);
  await sendQuietly(db, confirmEmailMail({ to: input.to, link, expiresAt: input.expiresAt }), input.delivery);
}

/** A new link for an unconfirmed account; every address gets the same answer, and only such an account gets mail. */
export async function resendConfirmation(
  db: Db,
  input: { email: string; ip: string | null; origin: string; now?: Date },
): Promise<MailedLinkAnswer> {
  return answerMailedLinkRequest(
    db,
    input,
    { addressKey: SIGN_UP_MAIL, clientKey: "resend-ip" },
    async (person, delivery) => {
      const { token, confirmation } = newConfirmation(input.now ?? new Date());
      if (!(await replaceConfirmation(db, { personId: person.id, ...confirmation }))) return;
      const link = { token, expiresAt: confirmation.expiresAt, origin: input.origin, callbackPath: "/", delivery };
      await mailConfirmation(db, { to: person.email, ...link });
    },
  );
}

export type ConfirmationResult = AuthenticationResult | { ok: false; reason: "invalid-link" };

/**
 * Confirms the account the link belongs to and signs it in, only with the password chosen at sign-up (counted like a
 * sign-in): whoever signed up with someone else's address cannot have its owner confirm it for them. A wrong password
 * leaves the link usable; "invalid-link" for a used, replaced or expired one.
 */
export async function confirmEmail(
  db: Db,
  input: { token: string; password: string; ip: string | null; now?: Date },
): Promise<ConfirmationResult> {
  const now = input.now ?? new Date();
  const tokenHash = hashLinkToken(input.token);
  const person = await findPersonByConfirmation(db, { tokenHash, now });
  if (!person) return { ok: false, reason: "invalid-link" };
  const { password, ip } = input;
  const result = await authenticate(db, { email: person.email, password, ip, now, confirmationTokenHash: tokenHash });
  // Unconfirmed after the right password: the link was used or replaced in the meantime.
  return !result.ok && result.reason === "unconfirmed" ? { ok: false, reason: "invalid-link" } : result;
}

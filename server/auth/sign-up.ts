// Creating an account: validated input, a hashed password, e-mail confirmation, and one answer for every address.
import { z } from "zod";
import type { Db } from "@/db/client";
import { describeInvitation } from "@/db/queries/invitations";
import { createPerson, normaliseEmail } from "@/db/queries/people";
import { takeAttempt, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { appLink, type MailDelivery, mailDelivery } from "@/server/mail/config";
import { signUpAttemptMail } from "@/server/mail/messages";
import { mailConfirmation, mayMail, newConfirmation, sendQuietly } from "./email-confirmation";
import { hashPassword } from "./password";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
  email: z.email("Enter a valid e-mail address").max(254, "Use at most 254 characters"),
  password: z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters"),
});

/** Sign-ups per client address: room for an office signing up together (30 an hour by default), not for a script. */
export const signUpPolicy = (): ThrottlePolicy => ({
  maxAttempts: env().signUpsPerHour,
  windowMs: 60 * 60_000,
  lockMs: 60 * 60_000,
});

export type SignUpResult =
  | { ok: true; outcome: "check-mail"; delivery: "smtp" | "outbox" }
  | { ok: true; outcome: "invited"; email: string }
  | { ok: false; throttled: true }
  | { ok: false; unavailable: true }
  | { ok: false; fieldErrors: Partial<Record<"name" | "email" | "password", string>> };

export type SignUpClient = { ip: string | null; origin: string; callbackPath: string; now?: Date };

/** The invitation a sign-up comes from, when its way back is an invite page. */
const invitationTokenIn = (callbackPath: string) => /^\/invite\/([\w-]{20,200})$/.exec(callbackPath)?.[1];

/** An open invitation to exactly this address proves the address as a confirmation link would. */
async function invitedAddress(db: Db, email: string, callbackPath: string): Promise<boolean> {
  const token = invitationTokenIn(callbackPath);
  if (!token) return false;
  const invitation = await describeInvitation(db, { token });
  return invitation.ok && normaliseEmail(invitation.email) === email;
}

async function createOrNull(db: Db, input: Parameters<typeof createPerson>[1]) {
  try {
    return await createPerson(db, input);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
    return null;
  }
}

/**
 * Creates an unconfirmed account and mails its confirmation link; an address that has an account gets a mail saying
 * someone tried, and nothing else changes. Both answer alike and both hash the password, so neither the answer nor
 * its timing tells who has an account. An invited address is created confirmed, to be signed in at once.
 */
export async function signUp(db: Db, raw: unknown, client: SignUpClient): Promise<SignUpResult> {
  if (await takeAttempt(db, `signup:${client.ip ?? "unknown"}`, signUpPolicy(), client.now))
    return { ok: false, throttled: true };
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return {
      ok: false,
      fieldErrors: { name: errors.name?.[0], email: errors.email?.[0], password: errors.password?.[0] },
    };
  }
  const email = normaliseEmail(parsed.data.email);
  const account = { name: parsed.data.name, email, passwordHash: await hashPassword(parsed.data.password) };
  if (await invitedAddress(db, email, client.callbackPath)) {
    if (await createOrNull(db, account)) return { ok: true, outcome: "invited", email };
  }
  const delivery = mailDelivery();
  if (delivery.kind === "off") return { ok: false, unavailable: true };
  const { token, confirmation } = newConfirmation(client.now ?? new Date());
  const created = await createOrNull(db, { ...account, confirmation });
  if (await mayMail(db, email, client.now)) {
    if (created)
      await mailConfirmation(db, { to: email, token, expiresAt: confirmation.expiresAt, ...client, delivery });
    else await mailAttempt(db, email, client.origin, delivery);
  }
  return { ok: true, outcome: "check-mail", delivery: delivery.kind };
}

async function mailAttempt(db: Db, to: string, origin: string, delivery: Exclude<MailDelivery, { kind: "off" }>) {
  const signInLink = appLink(delivery, origin, `/login?email=${encodeURIComponent(to)}`);
  const resetLink = appLink(delivery, origin, "/forgot-password");
  await sendQuietly(db, signUpAttemptMail({ to, signInLink, resetLink }), delivery);
}

// "Forgot password": a reset link by mail with the same answer for every address, throttled; then a new password.
import type { Db } from "@/db/client";
import { getPerson } from "@/db/queries/people";
import { consumeResetToken, createResetToken, setPasswordHash } from "@/db/queries/password-resets";
import { appLink } from "@/server/mail/config";
import { passwordResetMail } from "@/server/mail/messages";
import { sendMail } from "@/server/mail/send";
import { answerMailedLinkRequest, type MailedLinkAnswer } from "./mailed-links";
import { hashPassword } from "./password";
import { signUpInput } from "./sign-up";

/** Sends a reset link when the address has an account; the answer never says whether it has one. */
export async function requestPasswordReset(
  db: Db,
  input: { email: string; ip: string | null; origin: string; now?: Date },
): Promise<MailedLinkAnswer> {
  return answerMailedLinkRequest(
    db,
    input,
    { addressKey: "reset-email", clientKey: "reset-ip" },
    async (person, delivery) => {
      const { token, expiresAt } = await createResetToken(db, { personId: person.id, now: input.now });
      const link = appLink(delivery, input.origin, `/reset-password?token=${encodeURIComponent(token)}`);
      await sendMail(db, passwordResetMail({ to: person.email, link, expiresAt }), delivery);
    },
  );
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

// The mail Ledgerlink sends, as plain text: invitations, password reset and sign-up confirmation links.
import type { OutgoingMail } from "@/db/queries/mail-outbox";

const dateTime = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function invitationMail(input: {
  to: string;
  tenantName: string;
  inviterName: string;
  role: string;
  link: string;
  expiresAt: Date;
}): OutgoingMail {
  return {
    to: input.to,
    subject: `${input.inviterName} invited you to ${input.tenantName} on Ledgerlink`,
    text: [
      `${input.inviterName} invited you to join ${input.tenantName} on Ledgerlink as ${input.role}.`,
      "",
      `Accept the invitation: ${input.link}`,
      "",
      `The link works once, until ${dateTime(input.expiresAt)}.`,
    ].join("\n"),
  };
}

export function passwordResetMail(input: { to: string; link: string; expiresAt: Date }): OutgoingMail {
  return {
    to: input.to,
    subject: "Reset your Ledgerlink password",
    text: [
      "Someone asked to reset the password of your Ledgerlink account.",
      "",
      `Choose a new password: ${input.link}`,
      "",
      `The link works once, until ${dateTime(input.expiresAt)}. If you did not ask, ignore this mail: your password`,
      "stays as it is.",
    ].join("\n"),
  };
}

export function confirmEmailMail(input: { to: string; link: string; expiresAt: Date }): OutgoingMail {
  return {
    to: input.to,
    subject: "Confirm your e-mail address for Ledgerlink",
    text: [
      "Someone created a Ledgerlink account with this e-mail address.",
      "",
      `Confirm the address and sign in: ${input.link}`,
      "",
      `The link works once, until ${dateTime(input.expiresAt)}. If you did not sign up, ignore this mail: the account`,
      "stays unusable.",
    ].join("\n"),
  };
}

/** Sent instead of a confirmation when the address already has an account: its owner learns, nobody else does. */
export function signUpAttemptMail(input: { to: string; signInLink: string; resetLink: string }): OutgoingMail {
  return {
    to: input.to,
    subject: "Someone tried to sign up to Ledgerlink with your address",
    text: [
      "Someone tried to create a Ledgerlink account with this e-mail address, which already has one. Nothing was",
      "changed.",
      "",
      `If it was you, sign in instead: ${input.signInLink}`,
      `Forgot your password? Set a new one: ${input.resetLink}`,
      "",
      "If it was not you, ignore this mail.",
    ].join("\n"),
  };
}

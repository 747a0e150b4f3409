// The mail Ledgerlink sends, as plain text: an invitation to a workspace, and a password reset link.
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

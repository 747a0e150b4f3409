// Mails an invitation link to the invited address; the link is also shown to the owner, so a failed send loses nothing.
import type { Db } from "@/db/client";
import { appLink, mailDelivery } from "./config";
import { invitationMail } from "./messages";
import { sendMail } from "./send";

export async function mailInvitation(
  db: Db,
  input: {
    to: string;
    tenantName: string;
    inviterName: string;
    role: string;
    path: string;
    expiresAt: Date;
    origin: string;
  },
): Promise<"smtp" | "outbox" | "off" | "failed"> {
  try {
    const delivery = mailDelivery();
    const link = appLink(delivery, input.origin, input.path);
    return await sendMail(db, invitationMail({ ...input, link }), delivery);
  } catch (error) {
    console.error("The invitation mail could not be sent:", error instanceof Error ? error.message : error);
    return "failed";
  }
}

// Sends one mail the configured way: through SMTP (nodemailer), into the sandbox's outbox, or not at all.
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "@/db/client";
import { keepInOutbox, type OutgoingMail } from "@/db/queries/mail-outbox";
import { mailDelivery, type MailDelivery } from "./config";

const transports = new Map<string, Transporter>();
const transportFor = (url: string) => {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
};

/** Answers how the mail went, so a screen can say where to look for it; "off" sends nothing. */
export async function sendMail(
  db: Db,
  mail: OutgoingMail,
  delivery: MailDelivery = mailDelivery(),
): Promise<MailDelivery["kind"]> {
  if (delivery.kind === "smtp") await transportFor(delivery.url).sendMail({ from: delivery.from, ...mail });
  else if (delivery.kind === "outbox") await keepInOutbox(db, mail);
  return delivery.kind;
}

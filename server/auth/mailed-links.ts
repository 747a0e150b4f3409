// What the requests for a mailed link share ("forgot password", "send the confirmation link again"): mail must be on,
// the address as typed and the client are throttled before anything is looked up, and every address gets one answer.
import type { Db } from "@/db/client";
import { findPersonByEmail } from "@/db/queries/people";
import { takeAttempts, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { type MailDelivery, mailDelivery } from "@/server/mail/config";

const HOUR_MS = 60 * 60 * 1000;
/** Mail to one address a few times an hour at most, whoever asks. */
export const MAIL_PER_ADDRESS: ThrottlePolicy = { maxAttempts: 3, windowMs: HOUR_MS, lockMs: HOUR_MS };
/** More per client address (people share offices), then an hour's pause. */
const REQUESTS_PER_CLIENT: ThrottlePolicy = { maxAttempts: 20, windowMs: HOUR_MS, lockMs: HOUR_MS };

/** The answer to a request for a mailed link: the same whether the address has an account or not. */
export type MailedLinkAnswer =
  | { outcome: "sent"; delivery: "smtp" | "outbox" }
  | { outcome: "throttled" }
  | { outcome: "unavailable" };

type Person = NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>;

/**
 * Answers a request for a mailed link: once mail is on and neither the address (counted as `addressKey:<address>`)
 * nor the client (`clientKey:<ip>`) is throttled, `send` mails the account the address belongs to, if any.
 */
export async function answerMailedLinkRequest(
  db: Db,
  input: { email: string; ip: string | null; now?: Date },
  keys: { addressKey: string; clientKey: string },
  send: (person: Person, delivery: Exclude<MailDelivery, { kind: "off" }>) => Promise<void>,
): Promise<MailedLinkAnswer> {
  const delivery = mailDelivery();
  if (delivery.kind === "off") return { outcome: "unavailable" };
  const email = input.email.trim().toLowerCase();
  const throttles: [string, ThrottlePolicy][] = [[`${keys.addressKey}:${email}`, MAIL_PER_ADDRESS]];
  if (input.ip) throttles.push([`${keys.clientKey}:${input.ip}`, REQUESTS_PER_CLIENT]);
  if (await takeAttempts(db, throttles, input.now)) return { outcome: "throttled" };
  const person = await findPersonByEmail(db, email);
  if (person) await send(person, delivery);
  return { outcome: "sent", delivery: delivery.kind };
}

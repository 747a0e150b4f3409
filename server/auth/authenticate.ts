// Checks e-mail and password, counting each attempt before the check; a success is audited.
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { confirmEmailByToken, findPersonByEmail, normaliseEmail } from "@/db/queries/people";
import {
  recordSuccess,
  refundAttempts,
  succeededSince,
  takeAttempts,
  type ThrottlePolicy,
} from "@/db/queries/sign-in-throttle";
import { listTenantsForPerson } from "@/db/queries/tenants";
import { burnPasswordCheck, verifyPassword } from "./password";

const MINUTE = 60_000;
/** One e-mail from one address: the lock a guesser meets, and the only one a person's own address can meet. */
export const PAIR_POLICY: ThrottlePolicy = { maxAttempts: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
// An address may carry several people (an office behind one NAT), so it gets more room than one e-mail.
export const ADDRESS_POLICY: ThrottlePolicy = { maxAttempts: 20, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
/** Guesses spread over many addresses: a slower limit per e-mail that addresses the person used before skip. */
export const EMAIL_BACKSTOP_POLICY: ThrottlePolicy = { maxAttempts: 30, windowMs: 60 * MINUTE, lockMs: 60 * MINUTE };
/** How long an address stays the person's own after a successful sign-in from it. */
export const KNOWN_ADDRESS_MS = 90 * 24 * 60 * MINUTE;

export type AuthenticationResult =
  | { ok: true; person: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "unconfirmed" }
  | { ok: false; reason: "throttled"; retryAt: Date };

export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null; now?: Date; confirmationTokenHash?: string },
): Promise<AuthenticationResult> {
  const now = input.now ?? new Date();
  const email = normaliseEmail(input.email);
  const pairKey = `pair:${email}|${input.ip ?? "unknown"}`;
  const known = input.ip !== null && (await succeededSince(db, pairKey, new Date(now.getTime() - KNOWN_ADDRESS_MS)));
  const shared: [string, ThrottlePolicy][] = [];
  if (input.ip) shared.push([`ip:${input.ip}`, ADDRESS_POLICY]);
  if (!known) shared.push([`email:${email}`, EMAIL_BACKSTOP_POLICY]);
  const retryAt = await takeAttempts(db, [[pairKey, PAIR_POLICY], ...shared], now);
  if (retryAt) return { ok: false, reason: "throttled", retryAt };

  const person = await findPersonByEmail(db, email);
  let valid = false;
  if (person) valid = await verifyPassword(input.password, person.passwordHash);
  else await burnPasswordCheck(input.password); // a missing account takes as long as a wrong password
  if (!person || !valid) return { ok: false, reason: "invalid" };
  // Said only to whoever knows the password: the address's owner has not opened the link mailed at sign-up yet.
  if (!person.emailConfirmedAt && !(await confirmWithLink(db, person.id, input.confirmationTokenHash, now)))
    return { ok: false, reason: "unconfirmed" };

  await db.transaction(async (tx) => {
    await recordSuccess(tx, pairKey, now);
    await refundAttempts(
      tx,
      shared.map(([key]) => key),
      now,
    );
    for (const tenant of await listTenantsForPerson(tx, person.id)) {
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: { id: person.id, email: person.email, ip: input.ip },
        action: "auth.sign_in",
      });
    }
  });
  return { ok: true, person: { id: person.id, email: person.email, name: person.name } };
}

/** The mailed link confirms only together with the password, so whoever chose it owns the account it confirms. */
const confirmWithLink = (db: Db, personId: string, tokenHash: string | undefined, now: Date) =>
  tokenHash !== undefined && confirmEmailByToken(db, { personId, tokenHash, now });

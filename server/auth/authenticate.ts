// Checks e-mail and password with throttling per e-mail and per client address; a success is audited.
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { findPersonByEmail, normaliseEmail } from "@/db/queries/people";
import { clearFailures, lockedUntil, recordFailure, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { listTenantsForPerson } from "@/db/queries/tenants";
import { burnPasswordCheck, verifyPassword } from "./password";

export const EMAIL_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
// An address may carry several people (an office behind one NAT), so it gets more room than one e-mail.
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export type AuthenticationResult =
  | { ok: true; person: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAt: Date };

export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string | null; now?: Date },
): Promise<AuthenticationResult> {
  const now = input.now ?? new Date();
  const emailKey = `email:${normaliseEmail(input.email)}`;
  const keys = input.ip ? [emailKey, `ip:${input.ip}`] : [emailKey];

  const retryAt = await lockedUntil(db, keys, now);
  if (retryAt) return { ok: false, reason: "throttled", retryAt };

  const person = await findPersonByEmail(db, input.email);
  let valid = false;
  if (person) valid = await verifyPassword(input.password, person.passwordHash);
  else await burnPasswordCheck(input.password); // a missing account takes as long as a wrong password
  if (!person || !valid) {
    await recordFailure(db, emailKey, EMAIL_POLICY, now);
    if (input.ip) await recordFailure(db, `ip:${input.ip}`, ADDRESS_POLICY, now);
    return { ok: false, reason: "invalid" };
  }

  await db.transaction(async (tx) => {
    await clearFailures(tx, [emailKey]);
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

// Creating an account: validated input, a hashed password, a clear message per field; throttled per client address.
import { z } from "zod";
import type { Db } from "@/db/client";
import { createPerson } from "@/db/queries/people";
import { takeAttempt, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { DomainError } from "@/server/errors";
import { hashPassword } from "./password";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
  email: z.email("Enter a valid e-mail address").max(254, "Use at most 254 characters"),
  password: z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters"),
});

/** Sign-ups per client address: room for an office signing up together, not for a script. */
export const SIGN_UP_POLICY: ThrottlePolicy = { maxAttempts: 30, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };

export type SignUpResult =
  | { ok: true; email: string }
  | { ok: false; throttled: true }
  | { ok: false; fieldErrors: Partial<Record<"name" | "email" | "password", string>> };

/**
 * Creates the account. An e-mail that already has one answers exactly as a new one does (nothing is changed): the
 * caller then signs in with the password given, which only its owner knows, so sign-up tells no one who has an account.
 */
export async function signUp(db: Db, raw: unknown, client: { ip: string | null; now?: Date }): Promise<SignUpResult> {
  if (await takeAttempt(db, `signup:${client.ip ?? "unknown"}`, SIGN_UP_POLICY, client.now))
    return { ok: false, throttled: true };
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return {
      ok: false,
      fieldErrors: { name: errors.name?.[0], email: errors.email?.[0], password: errors.password?.[0] },
    };
  }
  const email = parsed.data.email.trim().toLowerCase();
  try {
    await createPerson(db, { ...parsed.data, passwordHash: await hashPassword(parsed.data.password) });
  } catch (error) {
    if (!(error instanceof DomainError && error.code === "CONFLICT")) throw error;
  }
  return { ok: true, email };
}

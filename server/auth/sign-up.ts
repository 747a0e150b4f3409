// Creating an account: validated input, a hashed password, a clear message per field.
import { z } from "zod";
import type { Db } from "@/db/client";
import { createPerson } from "@/db/queries/people";
import { DomainError } from "@/server/errors";
import { hashPassword } from "./password";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Use at most 100 characters"),
  email: z.email("Enter a valid e-mail address").max(254),
  password: z.string().min(10, "Use at least 10 characters").max(200, "Use at most 200 characters"),
});

export type SignUpResult =
  | { ok: true; email: string }
  | { ok: false; fieldErrors: Partial<Record<"name" | "email" | "password", string>> };

export async function signUp(db: Db, raw: unknown): Promise<SignUpResult> {
  const parsed = signUpInput.safeParse(raw);
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors;
    return {
      ok: false,
      fieldErrors: { name: errors.name?.[0], email: errors.email?.[0], password: errors.password?.[0] },
    };
  }
  try {
    const person = await createPerson(db, { ...parsed.data, passwordHash: await hashPassword(parsed.data.password) });
    return { ok: true, email: person.email };
  } catch (error) {
    if (error instanceof DomainError && error.field === "email")
      return { ok: false, fieldErrors: { email: error.message } };
    throw error;
  }
}

/** Only same-site paths may be a post-sign-in destination (no open redirects). */
export function safeCallbackPath(value: unknown): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")
    ? value
    : "/";
}

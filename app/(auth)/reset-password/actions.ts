"use server";
// Sets the new password with the mailed token; the token is used up whether or not the person signs in next.
import { getDb } from "@/db/client";
import { resetPassword } from "@/server/auth/password-reset";

export type ResetState = { passwordError?: string; tokenError?: string; changedFor?: string };

export async function resetPasswordAction(_previous: ResetState, form: FormData): Promise<ResetState> {
  const token = String(form.get("token") ?? "");
  const result = await resetPassword(await getDb(), { token, password: String(form.get("password") ?? "") });
  if (result.ok) return { changedFor: result.email };
  return result.field === "password" ? { passwordError: result.message } : { tokenError: result.message };
}

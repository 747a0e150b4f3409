"use server";
// Sign-in, sign-up and sign-out as server actions, so next-auth sets its cookie on the same response.
import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { getDb } from "@/db/client";
import { signIn, signOut } from "@/server/auth";
import { safeCallbackPath } from "@/server/auth/callback-path";
import { clientAddress } from "@/server/auth/client-address";
import { signUp } from "@/server/auth/sign-up";

export type FormState = {
  error?: string;
  fieldErrors?: Partial<Record<string, string>>;
  values?: Record<string, string>;
};

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

const NO_MATCH = {
  signIn: "That e-mail and password don't match an account.",
  signUp: "We couldn't sign you in with this e-mail and password. If you have an account already, sign in instead.",
};

async function signInOrExplain(
  email: string,
  password: string,
  callback: string,
  from: keyof typeof NO_MATCH,
): Promise<FormState> {
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callback) });
    return {};
  } catch (error) {
    // next-auth signals success with a redirect, which must propagate.
    if (!(error instanceof AuthError)) throw error;
    const throttled = (error as AuthError & { code?: string }).code === "throttled";
    return {
      error: throttled ? "Too many failed sign-ins. Wait 15 minutes and try again." : NO_MATCH[from],
      values: { email },
    };
  }
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  return signInOrExplain(text(form, "email"), text(form, "password"), text(form, "callbackUrl"), "signIn");
}

export async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: text(form, "name"), email: text(form, "email") };
  const client = { ip: clientAddress(await headers()) };
  const result = await signUp(await getDb(), { ...values, password: text(form, "password") }, client);
  if ("throttled" in result) return { error: "Too many accounts were created from here. Wait an hour.", values };
  if (!result.ok) return { fieldErrors: result.fieldErrors, values };
  return signInOrExplain(result.email, text(form, "password"), text(form, "callbackUrl"), "signUp");
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

"use server";
// Sign-in, sign-up, e-mail confirmation and sign-out as server actions, so next-auth sets its cookie on the response.
import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { z } from "zod";
import { getDb } from "@/db/client";
import { signIn, signOut } from "@/server/auth";
import { safeCallbackPath } from "@/server/auth/callback-path";
import { clientAddress } from "@/server/auth/client-address";
import { resendConfirmation } from "@/server/auth/email-confirmation";
import { signUp } from "@/server/auth/sign-up";
import {
  INVALID_CONFIRMATION_LINK,
  NO_MAIL,
  SIGN_IN_FAILED,
  SIGN_IN_THROTTLED,
  UNCONFIRMED,
  WRONG_CONFIRMATION_PASSWORD,
} from "./auth-messages";

export type FormState = {
  error?: string;
  fieldErrors?: Partial<Record<string, string>>;
  values?: Record<string, string>;
  /** The correct password of an account whose address is not confirmed yet: offer a new link. */
  unconfirmed?: boolean;
  /** A confirmation link went out (or would have: the answer is the same for every address). */
  sent?: "smtp" | "outbox";
};

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

async function requestContext() {
  const request = await headers();
  return {
    ip: clientAddress(request as unknown as Headers),
    origin: `${request.get("x-forwarded-proto") ?? "http"}://${request.get("host")}`,
  };
}

/** next-auth signals success with a redirect, which must propagate; only its AuthError is an answer to show. */
function authFailure(error: unknown): string | undefined {
  if (!(error instanceof AuthError)) throw error;
  return (error as AuthError & { code?: string }).code;
}

async function signInOrExplain(email: string, password: string, callback: string): Promise<FormState> {
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackPath(callback) });
    return {};
  } catch (error) {
    const code = authFailure(error);
    if (code === "unconfirmed") return { error: UNCONFIRMED, unconfirmed: true, values: { email } };
    return { error: code === "throttled" ? SIGN_IN_THROTTLED : SIGN_IN_FAILED, values: { email } };
  }
}

export async function signInAction(_previous: FormState, form: FormData): Promise<FormState> {
  return signInOrExplain(text(form, "email"), text(form, "password"), text(form, "callbackUrl"));
}

export async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: text(form, "name"), email: text(form, "email") };
  const callbackPath = safeCallbackPath(text(form, "callbackUrl"));
  const client = { ...(await requestContext()), callbackPath };
  const result = await signUp(await getDb(), { ...values, password: text(form, "password") }, client);
  if ("throttled" in result) return { error: "Too many accounts were created from here. Wait an hour.", values };
  if ("unavailable" in result) return { error: NO_MAIL, values };
  if (!result.ok) return { fieldErrors: result.fieldErrors, values };
  if (result.outcome === "check-mail") return { sent: result.delivery, values };
  return signInOrExplain(result.email, text(form, "password"), callbackPath);
}

const email = z.email("Enter a valid e-mail address").max(254);

export async function resendConfirmationAction(_previous: FormState, form: FormData): Promise<FormState> {
  const parsed = email.safeParse(text(form, "email").trim());
  if (!parsed.success) return { error: parsed.error.issues[0]!.message };
  const result = await resendConfirmation(await getDb(), { email: parsed.data, ...(await requestContext()) });
  if (result.outcome === "throttled") return { error: "Too many links for this address. Wait an hour." };
  if (result.outcome === "unavailable") return { error: NO_MAIL };
  return { sent: result.delivery, values: { email: parsed.data } };
}

export async function confirmEmailAction(_previous: FormState, form: FormData): Promise<FormState> {
  const password = text(form, "password");
  if (!password) return { fieldErrors: { password: "Enter the password you chose when you signed up" } };
  try {
    const redirectTo = safeCallbackPath(text(form, "callbackUrl"));
    await signIn("email-confirmation", { token: text(form, "token"), password, redirectTo });
    return {};
  } catch (error) {
    const code = authFailure(error);
    if (code === "wrong-password") return { fieldErrors: { password: WRONG_CONFIRMATION_PASSWORD } };
    return { error: code === "throttled" ? SIGN_IN_THROTTLED : INVALID_CONFIRMATION_LINK };
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

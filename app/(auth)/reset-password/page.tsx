import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { resetTokenUsable } from "@/db/queries/password-resets";
import { INVALID_RESET_LINK } from "@/server/auth/password-reset";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Reset password" };

type Props = { searchParams: Promise<{ token?: string }> };

export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token = "" } = await searchParams;
  // Said before a new password is typed; the token is checked again, and used up, when it is submitted.
  const usable = token.length > 0 && token.length <= 200 && (await resetTokenUsable(await getDb(), { token }));
  return <ResetPasswordForm token={token} problem={usable ? null : INVALID_RESET_LINK} />;
}

import type { Metadata } from "next";
import { safeCallbackPath } from "@/server/auth/callback-path";
import { ConfirmEmailForm } from "../auth-forms";

export const metadata: Metadata = { title: "Confirm e-mail" };

type Props = { searchParams: Promise<{ token?: string; callbackUrl?: string }> };

export default async function ConfirmEmailPage({ searchParams }: Props) {
  const { token = "", callbackUrl } = await searchParams;
  return <ConfirmEmailForm token={token} callbackUrl={safeCallbackPath(callbackUrl)} />;
}

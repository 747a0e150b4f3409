import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentPerson } from "@/server/auth/current-person";
import { safeCallbackPath } from "@/server/auth/callback-path";
import { SignUpForm } from "../auth-forms";

export const metadata: Metadata = { title: "Create account" };

type Props = { searchParams: Promise<{ callbackUrl?: string; email?: string }> };

export default async function SignUpPage({ searchParams }: Props) {
  const { callbackUrl, email } = await searchParams;
  const destination = safeCallbackPath(callbackUrl);
  if (await currentPerson()) redirect(destination);
  return <SignUpForm callbackUrl={destination} email={email} />;
}

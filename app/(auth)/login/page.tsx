import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentPerson } from "@/server/auth/current-person";
import { safeCallbackPath } from "@/server/auth/sign-up";
import { demoCredentials } from "@/server/demo/seed";
import { Notice } from "../../_components/ui";
import { SignInForm } from "../auth-forms";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; email?: string }> };

export default async function LoginPage({ searchParams }: Props) {
  const { callbackUrl, email } = await searchParams;
  const destination = safeCallbackPath(callbackUrl);
  if (await currentPerson()) redirect(destination);
  const demo = demoCredentials();
  return (
    <div className="space-y-4">
      {demo && (
        <Notice tone="info">
          <p className="font-medium">Embedded demo</p>
          <p>
            E-mail <code data-testid="demo-email">{demo.email}</code>, password{" "}
            <code data-testid="demo-password">{demo.password}</code>
          </p>
        </Notice>
      )}
      <SignInForm callbackUrl={destination} email={email} />
    </div>
  );
}

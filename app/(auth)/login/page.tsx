import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentPerson } from "@/server/auth/current-person";
import { safeCallbackPath } from "@/server/auth/callback-path";
import { demoCredentials } from "@/server/demo/seed";
import { Notice } from "../../_components/ui";
import { SIGN_IN_FAILED, SIGN_IN_THROTTLED, UNCONFIRMED } from "../auth-messages";
import { SignInForm } from "../auth-forms";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; email?: string; error?: string; code?: string }> };

/** next-auth's own endpoints send failures here as ?error=…&code=…; only fixed words of ours are ever shown. */
function signInFailure(error: string | undefined, code: string | undefined): string | undefined {
  if (!error) return undefined;
  if (error !== "CredentialsSignin") return "Signing in did not work. Try again.";
  if (code === "throttled") return SIGN_IN_THROTTLED;
  return code === "unconfirmed" ? UNCONFIRMED : SIGN_IN_FAILED;
}

export default async function LoginPage({ searchParams }: Props) {
  const { callbackUrl, email, error, code } = await searchParams;
  const destination = safeCallbackPath(callbackUrl);
  if (await currentPerson()) redirect(destination);
  const demo = demoCredentials();
  const failure = signInFailure(error, code);
  return (
    <div className="space-y-4">
      {failure && <Notice>{failure}</Notice>}
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
      <Link href="/forgot-password" className="block text-center text-sm text-indigo-700 hover:underline">
        Forgot password?
      </Link>
    </div>
  );
}

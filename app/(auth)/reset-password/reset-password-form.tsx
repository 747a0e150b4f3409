"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "../../_components/ui";
import { resetPasswordAction, type ResetState } from "./actions";

export function ResetPasswordForm({ token, problem }: { token: string; problem: string | null }) {
  const [state, action, pending] = useActionState<ResetState, FormData>(resetPasswordAction, {});
  const tokenError = state.tokenError ?? problem;
  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Choose a new password</h1>
      {state.changedFor ? (
        <Notice tone="success">
          Your password is changed.{" "}
          <Link href={`/login?email=${encodeURIComponent(state.changedFor)}`} className="font-medium underline">
            Sign in with it
          </Link>
        </Notice>
      ) : tokenError ? (
        <Notice>
          {tokenError}{" "}
          <Link href="/forgot-password" className="font-medium underline">
            Ask for a new link
          </Link>
        </Notice>
      ) : (
        <form action={action} className="space-y-4">
          <input type="hidden" name="token" value={token} />
          <Field label="New password" error={state.passwordError} hint="At least 10 characters.">
            <Input name="password" type="password" autoComplete="new-password" required minLength={10} />
          </Field>
          <Button type="submit" busy={pending} className="w-full">
            Change password
          </Button>
        </form>
      )}
    </Card>
  );
}

"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "../../_components/ui";
import { MailSent } from "../mail-sent";
import { forgotPasswordAction, type ForgotState } from "./actions";

export function ForgotPasswordForm() {
  const [state, action, pending] = useActionState<ForgotState, FormData>(forgotPasswordAction, {});
  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Forgot your password?</h1>
      {state.sent ? (
        <MailSent delivery={state.sent}>
          If an account uses {state.email}, a link to choose a new password is on its way; it works once, for an hour.
        </MailSent>
      ) : (
        <form action={action} className="space-y-4">
          {state.error && <Notice>{state.error}</Notice>}
          <Field label="E-mail" error={state.fieldError} hint="We mail a link to choose a new password.">
            <Input name="email" type="email" autoComplete="email" required defaultValue={state.email} />
          </Field>
          <Button type="submit" busy={pending} className="w-full">
            Send reset link
          </Button>
        </form>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link className="font-medium text-indigo-700 hover:underline" href="/login">
          Back to sign in
        </Link>
      </p>
    </Card>
  );
}

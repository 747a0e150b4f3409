"use client";
// The sign-in, sign-up and e-mail confirmation forms; errors come back from the server actions per field.
import Link from "next/link";
import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "../_components/ui";
import { confirmEmailAction, type FormState, resendConfirmationAction, signInAction, signUpAction } from "./actions";
import { MailSent } from "./mail-sent";

const withCallback = (path: string, callbackUrl: string) =>
  callbackUrl === "/" ? path : `${path}?callbackUrl=${encodeURIComponent(callbackUrl)}`;

export function SignInForm({ callbackUrl, email }: { callbackUrl: string; email?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      <form action={action} className="space-y-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state.error && <Notice>{state.error}</Notice>}
        <Field label="E-mail">
          <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email ?? email} />
        </Field>
        <Field label="Password">
          <Input name="password" type="password" autoComplete="current-password" required />
        </Field>
        <Button type="submit" busy={pending} className="w-full">
          Sign in
        </Button>
      </form>
      {state.unconfirmed && <ResendConfirmation email={state.values?.email ?? ""} />}
      <p className="mt-4 text-center text-sm text-slate-600">
        New here?{" "}
        <Link className="font-medium text-indigo-700 hover:underline" href={withCallback("/signup", callbackUrl)}>
          Create an account
        </Link>
      </p>
    </Card>
  );
}

export function SignUpForm({ callbackUrl, email }: { callbackUrl: string; email?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  if (state.sent)
    return (
      <Card>
        <h1 className="mb-4 text-lg font-semibold">Check your e-mail</h1>
        <MailSent delivery={state.sent}>
          We sent a message to {state.values?.email}. Open the link in it to confirm the address and sign in; it works
          once, for 24 hours.
        </MailSent>
      </Card>
    );
  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Create your account</h1>
      <form action={action} className="space-y-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state.error && <Notice>{state.error}</Notice>}
        <Field label="Your name" error={state.fieldErrors?.name}>
          <Input name="name" autoComplete="name" required defaultValue={state.values?.name} />
        </Field>
        <Field label="E-mail" error={state.fieldErrors?.email}>
          <Input name="email" type="email" autoComplete="email" required defaultValue={state.values?.email ?? email} />
        </Field>
        <Field label="Password" error={state.fieldErrors?.password} hint="At least 10 characters.">
          <Input name="password" type="password" autoComplete="new-password" required minLength={10} />
        </Field>
        <Button type="submit" busy={pending} className="w-full">
          Create account
        </Button>
      </form>
      <p className="mt-4 text-center text-sm text-slate-600">
        Have an account?{" "}
        <Link className="font-medium text-indigo-700 hover:underline" href={withCallback("/login", callbackUrl)}>
          Sign in
        </Link>
      </p>
    </Card>
  );
}

function ResendConfirmation({ email }: { email: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(resendConfirmationAction, {});
  if (state.sent)
    return (
      <div className="mt-4">
        <MailSent delivery={state.sent}>A new confirmation link is on its way to {email}.</MailSent>
      </div>
    );
  return (
    <form action={action} className="mt-4 space-y-2">
      <input type="hidden" name="email" value={email} />
      {state.error && <Notice>{state.error}</Notice>}
      <Button type="submit" busy={pending} className="w-full">
        Send a new confirmation link
      </Button>
    </form>
  );
}

export function ConfirmEmailForm({ token, callbackUrl }: { token: string; callbackUrl: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(confirmEmailAction, {});
  return (
    <Card>
      <h1 className="mb-4 text-lg font-semibold">Confirm your e-mail address</h1>
      {/* A button, not the link itself: mail scanners that open links must not use up the confirmation. */}
      <form action={action} className="space-y-4">
        <input type="hidden" name="token" value={token} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state.error && <Notice>{state.error}</Notice>}
        {/* The password proves the account is the reader's: a link alone would confirm someone else's sign-up. */}
        <Field label="Password" error={state.fieldErrors?.password} hint="The one you chose when you signed up.">
          <Input name="password" type="password" autoComplete="current-password" required maxLength={200} />
        </Field>
        <Button type="submit" busy={pending} className="w-full">
          Confirm and sign in
        </Button>
      </form>
      <p className="mt-4 text-center text-sm text-slate-600">
        Didn't sign up, or forgot the password?{" "}
        <Link className="font-medium text-indigo-700 hover:underline" href="/forgot-password">
          Reset it.
        </Link>
      </p>
    </Card>
  );
}

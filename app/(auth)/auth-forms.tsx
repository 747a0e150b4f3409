"use client";
// The sign-in and sign-up forms; errors come back from the server actions per field.
import Link from "next/link";
import { useActionState } from "react";
import { Button, Card, Field, Input, Notice } from "../_components/ui";
import { signInAction, signUpAction, type FormState } from "./actions";

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

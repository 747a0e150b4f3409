import type { Metadata } from "next";
import Link from "next/link";
import { currentPerson } from "@/server/auth/current-person";
import { serverCaller } from "@/server/trpc/server-caller";
import { Card, Notice } from "../../_components/ui";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ token: string }> };

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const invitation = await (await serverCaller()).invitations.describe({ token });
  const person = await currentPerson();
  const here = encodeURIComponent(`/invite/${token}`);
  return (
    <main className="mx-auto max-w-md px-4 py-16">
      <p className="mb-6 text-center text-2xl font-semibold tracking-tight text-indigo-700">Ledgerlink</p>
      <Card>
        {!invitation.ok ? (
          <Notice>{invitation.problem}</Notice>
        ) : (
          <div className="space-y-4 text-sm">
            <h1 className="text-lg font-semibold">Join {invitation.tenantName}</h1>
            <p>
              You are invited as <strong>{invitation.role}</strong>. The invitation is for{" "}
              <strong>{invitation.email}</strong>.
            </p>
            {person ? (
              person.email === invitation.email ? (
                <AcceptInvitation token={token} />
              ) : (
                <Notice>
                  You are signed in as {person.email}. Sign out and sign in as {invitation.email} to accept.
                </Notice>
              )
            ) : (
              <div className="flex gap-3">
                <Link
                  className="rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700"
                  href={`/signup?callbackUrl=${here}&email=${encodeURIComponent(invitation.email)}`}
                >
                  Create an account
                </Link>
                <Link
                  className="rounded-md border border-slate-300 px-3 py-2 font-medium hover:bg-slate-50"
                  href={`/login?callbackUrl=${here}&email=${encodeURIComponent(invitation.email)}`}
                >
                  Sign in
                </Link>
              </div>
            )}
          </div>
        )}
      </Card>
    </main>
  );
}

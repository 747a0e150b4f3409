// The sandbox's outbox: mail this server would have sent, where no SMTP server is configured. Absent otherwise.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listOutbox } from "@/db/queries/mail-outbox";
import { mailDelivery } from "@/server/mail/config";
import { Card, EmptyState, PageHeader } from "../_components/ui";
import { ViewerTime } from "./viewer-time";

export const metadata: Metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

const LINK = /(https?:\/\/\S+)/;

function MailText({ text }: { text: string }) {
  return (
    <pre className="whitespace-pre-wrap font-sans text-sm text-slate-700">
      {text.split(LINK).map((part, index) =>
        LINK.test(part) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never move
          <a key={index} href={part} className="text-indigo-700 underline">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  );
}

export default async function OutboxPage() {
  if (mailDelivery().kind !== "outbox") notFound();
  const mails = await listOutbox(await getDb(), { limit: 50 });
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <PageHeader
        title="Outbox (sandbox)"
        description="No SMTP server is configured, so the mail Ledgerlink sends (invitations, password resets) is kept here instead. Set SMTP_URL to send real mail."
      />
      <p className="mb-4 text-sm">
        <Link href="/login" className="text-indigo-700 underline">
          Sign in
        </Link>
      </p>
      {mails.length === 0 ? (
        <EmptyState>No mail yet: invitations and password reset links will appear here.</EmptyState>
      ) : (
        <ul className="space-y-4" aria-label="Mail">
          {mails.map((mail) => (
            <li key={mail.id}>
              <Card title={mail.subject}>
                <p className="mb-2 text-xs text-slate-500">
                  To {mail.to} · <ViewerTime value={mail.createdAt.toISOString()} />
                </p>
                <MailText text={mail.text} />
              </Card>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

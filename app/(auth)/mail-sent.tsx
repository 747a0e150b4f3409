// Says a mail is on its way; in the sandbox, where no real mail is sent, points to the outbox that holds it.
import Link from "next/link";
import type { ReactNode } from "react";
import { Notice } from "../_components/ui";

export function MailSent({ delivery, children }: { delivery: "smtp" | "outbox"; children: ReactNode }) {
  return (
    <Notice tone="success">
      {children}
      {delivery === "outbox" && (
        <span className="mt-1 block">
          This server sends no real mail (sandbox): open the{" "}
          <Link href="/outbox" className="font-medium underline">
            outbox
          </Link>
          .
        </span>
      )}
    </Notice>
  );
}

import type { Metadata } from "next";
import { Suspense } from "react";
import { verifiedNotice } from "@/server/auth/signed-notice";
import { ZohoConnectionScreen } from "./zoho-connection-screen";

export const metadata: Metadata = { title: "Zoho Books connection" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ZohoConnectionPage({ searchParams }: Props) {
  // The callback's messages come back in the URL: only those it signed are shown, never a link's own words.
  const query = await searchParams;
  const notices = { error: verifiedNotice(query, "error"), warning: verifiedNotice(query, "warning") };
  return (
    <Suspense>
      <ZohoConnectionScreen notices={notices} />
    </Suspense>
  );
}

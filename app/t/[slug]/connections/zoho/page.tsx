import type { Metadata } from "next";
import { Suspense } from "react";
import { ZohoConnectionScreen } from "./zoho-connection-screen";

export const metadata: Metadata = { title: "Zoho Books connection" };

export default function ZohoConnectionPage() {
  return (
    <Suspense>
      <ZohoConnectionScreen />
    </Suspense>
  );
}

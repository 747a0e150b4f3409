import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TrpcProvider } from "./_components/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ledgerlink", template: "%s · Ledgerlink" },
  description: "Keeps Splynx billing and Zoho Books in step.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so Next.js can put the request's CSP nonce (proxy.ts) on its scripts.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}

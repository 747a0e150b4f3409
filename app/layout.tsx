import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcProvider } from "./_components/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ledgerlink", template: "%s · Ledgerlink" },
  description: "Keeps Splynx billing and Zoho Books in step.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}

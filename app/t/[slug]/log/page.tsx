import type { Metadata } from "next";
import { Suspense } from "react";
import { SyncLogScreen } from "./sync-log-screen";

export const metadata: Metadata = { title: "Sync log" };

export default function SyncLogPage() {
  return (
    <Suspense>
      <SyncLogScreen />
    </Suspense>
  );
}

import type { Metadata } from "next";
import { SyncScreen } from "./sync-screen";

export const metadata: Metadata = { title: "Sync" };

export default function SyncPage() {
  return <SyncScreen />;
}

import type { Metadata } from "next";
import { UsageScreen } from "./usage-screen";

export const metadata: Metadata = { title: "Zoho API budget" };

export default function UsagePage() {
  return <UsageScreen />;
}

import type { Metadata } from "next";
import { RecordsScreen } from "./records-screen";

export const metadata: Metadata = { title: "Records · Customers" };

export default function RecordsPage() {
  return <RecordsScreen />;
}

import type { Metadata } from "next";
import { SplynxConnectionScreen } from "./splynx-connection-screen";

export const metadata: Metadata = { title: "Splynx connection" };

export default function SplynxConnectionPage() {
  return <SplynxConnectionScreen />;
}

import type { Metadata } from "next";
import { PairingScreen } from "./pairing-screen";

export const metadata: Metadata = { title: "Customer pairing" };

export default function PairingPage() {
  return <PairingScreen />;
}

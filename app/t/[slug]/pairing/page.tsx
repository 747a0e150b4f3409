import type { Metadata } from "next";
import { Suspense } from "react";
import { PairingScreen } from "./pairing-screen";

export const metadata: Metadata = { title: "Customer pairing" };

export default function PairingPage() {
  return (
    <Suspense>
      <PairingScreen />
    </Suspense>
  );
}

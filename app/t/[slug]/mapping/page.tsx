import type { Metadata } from "next";
import { Suspense } from "react";
import { MappingScreen } from "./mapping-screen";

export const metadata: Metadata = { title: "Data mapping" };

export default function MappingPage() {
  return (
    <Suspense>
      <MappingScreen />
    </Suspense>
  );
}

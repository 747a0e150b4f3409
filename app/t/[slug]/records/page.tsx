import type { Metadata } from "next";
import { Suspense } from "react";
import { RecordsScreen } from "./records-screen";

export const metadata: Metadata = { title: "Records" };

export default function RecordsPage() {
  return (
    <Suspense>
      <RecordsScreen />
    </Suspense>
  );
}

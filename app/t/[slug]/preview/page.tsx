import type { Metadata } from "next";
import { PreviewScreen } from "./preview-screen";

export const metadata: Metadata = { title: "Preview" };

export default function PreviewPage() {
  return <PreviewScreen />;
}

import type { Metadata } from "next";
import { TenantSettingsScreen } from "./tenant-settings-screen";

export const metadata: Metadata = { title: "Tenant settings" };

export default function TenantSettingsPage() {
  return <TenantSettingsScreen />;
}

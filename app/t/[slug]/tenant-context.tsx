"use client";
// The current tenant and the viewer's role in it, for every page of the tenant area.
import { createContext, useContext } from "react";
import type { Role } from "@/db/schema";
import { hasRole } from "@/server/trpc/roles";

export type CurrentTenant = { id: string; slug: string; name: string; role: Role };

/** The tenant with its time zone (settings), in which every time of the tenant area is shown. */
export const TenantContext = createContext<(CurrentTenant & { timeZone: string }) | null>(null);

export function useTenant() {
  const tenant = useContext(TenantContext);
  if (!tenant) throw new Error("useTenant must be used inside the tenant area");
  return { ...tenant, can: (minimum: Role) => hasRole(tenant.role, minimum) };
}

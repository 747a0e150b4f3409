"use client";
// The tenant area's frame: navigation for what the role may use, the tenant switcher, the person menu.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import type { Role } from "@/db/schema";
import { hasRole } from "@/server/trpc/roles";
import { signOutAction } from "../../(auth)/actions";
import { Badge, roleTone } from "../../_components/ui";
import { TenantContext, type CurrentTenant } from "./tenant-context";

const NAVIGATION: { label: string; path: string; minRole: Role }[] = [
  { label: "Dashboard", path: "", minRole: "viewer" },
  { label: "Splynx connection", path: "/connections/splynx", minRole: "viewer" },
  { label: "Zoho Books connection", path: "/connections/zoho", minRole: "viewer" },
  { label: "Settings", path: "/settings", minRole: "viewer" },
  { label: "Data mapping", path: "/mapping", minRole: "viewer" },
  { label: "Customer pairing", path: "/pairing", minRole: "viewer" },
  { label: "Sync", path: "/sync", minRole: "viewer" },
  { label: "Records", path: "/records", minRole: "viewer" },
  { label: "Sync log", path: "/log", minRole: "viewer" },
  { label: "Members", path: "/members", minRole: "viewer" },
  { label: "Audit log", path: "/audit", minRole: "admin" },
  { label: "Tenant settings", path: "/tenant", minRole: "owner" },
];

type Props = {
  person: { name: string; email: string };
  tenant: CurrentTenant;
  tenants: CurrentTenant[];
  children: ReactNode;
};

export function TenantShell({ person, tenant, tenants, children }: Props) {
  const pathname = usePathname();
  const router = useRouter();
  const base = `/t/${tenant.slug}`;
  return (
    <TenantContext.Provider value={tenant}>
      <div className="flex min-h-screen">
        <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white md:block">
          <Link href={base} className="block px-5 py-4 text-lg font-semibold tracking-tight text-indigo-700">
            Ledgerlink
          </Link>
          <nav aria-label="Tenant" className="space-y-0.5 px-2">
            {NAVIGATION.filter((item) => hasRole(tenant.role, item.minRole)).map((item) => {
              const href = `${base}${item.path}`;
              const active = item.path === "" ? pathname === base : pathname.startsWith(href);
              return (
                <Link
                  key={item.path}
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={`block rounded-md px-3 py-2 text-sm ${active ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
            <div className="flex items-center gap-3">
              <label className="sr-only" htmlFor="tenant-switcher">
                Tenant
              </label>
              <select
                id="tenant-switcher"
                className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-medium"
                value={tenant.slug}
                onChange={(event) =>
                  router.push(event.target.value === "+new" ? "/tenants/new" : `/t/${event.target.value}`)
                }
              >
                {tenants.map((option) => (
                  <option key={option.slug} value={option.slug}>
                    {option.name}
                  </option>
                ))}
                <option value="+new">+ Create a tenant…</option>
              </select>
              <Badge tone={roleTone[tenant.role]}>{tenant.role}</Badge>
            </div>
            <details className="relative">
              <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
                {person.name} ▾
              </summary>
              <div className="absolute right-0 z-10 mt-1 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
                <p className="text-sm font-medium">{person.name}</p>
                <p className="truncate text-xs text-slate-500">{person.email}</p>
                <form action={signOutAction} className="mt-3 border-t border-slate-100 pt-3">
                  <button type="submit" className="text-sm text-red-700 hover:underline">
                    Sign out
                  </button>
                </form>
              </div>
            </details>
          </header>
          <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-6">{children}</main>
        </div>
      </div>
    </TenantContext.Provider>
  );
}

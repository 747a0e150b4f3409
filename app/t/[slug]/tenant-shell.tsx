"use client";
// The workspace area's frame: navigation for what the role may use (a menu on phones), the ISP switcher, the person menu.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import type { Role } from "@/db/schema";
import { hasRole } from "@/server/trpc/roles";
import { signOutAction } from "../../(auth)/actions";
import { Badge, roleTone } from "../../_components/ui";
import { TimeZoneProvider } from "../../_components/zoned-time";
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
  { label: "Preview", path: "/preview", minRole: "viewer" },
  { label: "Reconciliation", path: "/reconciliation", minRole: "viewer" },
  { label: "Zoho API budget", path: "/usage", minRole: "viewer" },
  { label: "Members", path: "/members", minRole: "viewer" },
  { label: "Audit log", path: "/audit", minRole: "admin" },
  { label: "Workspace settings", path: "/tenant", minRole: "owner" },
];

type Props = {
  person: { name: string; email: string };
  tenant: CurrentTenant & { timeZone: string };
  tenants: CurrentTenant[];
  children: ReactNode;
};

function NavigationLinks({ tenant, onNavigate }: { tenant: CurrentTenant; onNavigate?: () => void }) {
  const pathname = usePathname();
  const base = `/t/${tenant.slug}`;
  return NAVIGATION.filter((item) => hasRole(tenant.role, item.minRole)).map((item) => {
    const href = `${base}${item.path}`;
    const active = item.path === "" ? pathname === base : pathname.startsWith(href);
    return (
      <Link
        key={item.path}
        href={href}
        onClick={onNavigate}
        aria-current={active ? "page" : undefined}
        className={`block rounded-md px-3 py-2 text-sm ${active ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
      >
        {item.label}
      </Link>
    );
  });
}

/** Below the md breakpoint the sidebar is hidden: the same links open from a menu button in the header. */
function PhoneMenu({ tenant }: { tenant: CurrentTenant }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="md:hidden">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="phone-navigation"
        onClick={() => setOpen(!open)}
        className="rounded-md border border-slate-300 px-2 py-1.5 text-sm text-slate-700"
      >
        Menu
      </button>
      {open && (
        <nav
          id="phone-navigation"
          aria-label="Workspace menu"
          className="absolute inset-x-0 top-full z-20 space-y-0.5 border-b border-slate-200 bg-white p-2 shadow-lg"
        >
          <NavigationLinks tenant={tenant} onNavigate={() => setOpen(false)} />
        </nav>
      )}
    </div>
  );
}

export function TenantShell({ person, tenant, tenants, children }: Props) {
  const router = useRouter();
  const base = `/t/${tenant.slug}`;
  return (
    <TenantContext.Provider value={tenant}>
      <TimeZoneProvider timeZone={tenant.timeZone}>
        <div className="flex min-h-screen">
          <aside className="hidden w-52 shrink-0 border-r border-slate-200 bg-white md:block">
            <Link href={base} className="block px-5 py-4 text-lg font-semibold tracking-tight text-indigo-700">
              Ledgerlink
            </Link>
            <nav aria-label="Tenant" className="space-y-0.5 px-2">
              <NavigationLinks tenant={tenant} />
            </nav>
          </aside>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="relative flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 md:px-6">
              <div className="flex min-w-0 items-center gap-2">
                <PhoneMenu tenant={tenant} />
                <label className="sr-only" htmlFor="tenant-switcher">
                  ISP workspace
                </label>
                <select
                  id="tenant-switcher"
                  className="min-w-0 max-w-48 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-medium"
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
                  <option value="+new">+ Add an ISP workspace…</option>
                </select>
                <span className="hidden sm:block">
                  <Badge tone={roleTone[tenant.role]}>{tenant.role}</Badge>
                </span>
              </div>
              <details className="relative shrink-0">
                <summary className="cursor-pointer list-none rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
                  {person.name} ▾
                </summary>
                <div className="absolute right-0 z-10 mt-1 w-64 max-w-[90vw] rounded-md border border-slate-200 bg-white p-3 shadow-lg">
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
            <main className="mx-auto w-full max-w-screen-2xl min-w-0 flex-1 px-4 py-6 md:px-6">{children}</main>
          </div>
        </div>
      </TimeZoneProvider>
    </TenantContext.Provider>
  );
}

"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../_components/trpc";
import { Badge, Card, EmptyState, PageHeader, roleTone } from "../../_components/ui";
import { AuditTable } from "./audit/audit-table";
import { useTenant } from "./tenant-context";

export function Dashboard() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const current = useQuery(trpc.tenants.current.queryOptions({ tenantSlug: tenant.slug }));
  const recent = useQuery({ ...trpc.audit.list.queryOptions({ tenantSlug: tenant.slug, limit: 8 }), enabled: tenant.can("admin") });
  return (
    <>
      <PageHeader title={tenant.name} description="Overview of this tenant." />
      <div className="grid gap-4 md:grid-cols-3">
        <Card title="Your role">
          <Badge tone={roleTone[tenant.role]}>{tenant.role}</Badge>
        </Card>
        <Card title="Members">
          <p className="text-2xl font-semibold" data-testid="member-count">
            {current.data?.memberCount ?? "…"}
          </p>
          <Link href={`/t/${tenant.slug}/members`} className="text-sm text-indigo-700 hover:underline">
            Manage members
          </Link>
        </Card>
      </div>
      {tenant.can("admin") && (
        <Card title="Recent activity" className="mt-6">
          {recent.data && recent.data.entries.length > 0 ? <AuditTable entries={recent.data.entries} /> : <EmptyState>{recent.isLoading ? "Loading…" : "Nothing recorded yet."}</EmptyState>}
        </Card>
      )}
    </>
  );
}

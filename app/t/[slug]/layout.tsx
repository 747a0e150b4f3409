import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePerson } from "@/server/auth/current-person";
import { serverCaller } from "@/server/trpc/server-caller";
import { TenantShell } from "./tenant-shell";

type Props = { children: ReactNode; params: Promise<{ slug: string }> };

export default async function TenantLayout({ children, params }: Props) {
  const { slug } = await params;
  const person = await requirePerson(`/t/${slug}`);
  const caller = await serverCaller();
  const tenants = await caller.tenants.list();
  const tenant = tenants.find((candidate) => candidate.slug === slug);
  if (!tenant) notFound();
  const timeZone = await caller.settings.timeZone({ tenantSlug: slug });
  return (
    <TenantShell person={person} tenant={{ ...tenant, timeZone }} tenants={tenants}>
      {children}
    </TenantShell>
  );
}

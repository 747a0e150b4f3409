import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePerson } from "@/server/auth/current-person";
import { serverCaller } from "@/server/trpc/server-caller";
import { TenantShell } from "./tenant-shell";

type Props = { children: ReactNode; params: Promise<{ slug: string }> };

export default async function TenantLayout({ children, params }: Props) {
  const { slug } = await params;
  const person = await requirePerson(`/t/${slug}`);
  const tenants = await (await serverCaller()).tenants.list();
  const tenant = tenants.find((candidate) => candidate.slug === slug);
  if (!tenant) notFound();
  return (
    <TenantShell person={person} tenant={tenant} tenants={tenants}>
      {children}
    </TenantShell>
  );
}

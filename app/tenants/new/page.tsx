import type { Metadata } from "next";
import { requirePerson } from "@/server/auth/current-person";
import { CreateTenantForm } from "./create-tenant-form";

export const metadata: Metadata = { title: "Add an ISP workspace" };

export default async function NewTenantPage() {
  const person = await requirePerson("/tenants/new");
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <p className="mb-6 text-2xl font-semibold tracking-tight text-indigo-700">Ledgerlink</p>
      <h1 className="text-lg font-semibold">Add an ISP workspace</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">
        A workspace holds one ISP&apos;s Splynx and Zoho Books connections, settings and sync history. You (
        {person.email}) become its owner.
      </p>
      <CreateTenantForm />
    </main>
  );
}

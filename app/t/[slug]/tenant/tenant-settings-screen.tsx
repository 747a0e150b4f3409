"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import { Button, Card, Field, Input, Notice, PageHeader } from "../../../_components/ui";
import { useTenant } from "../tenant-context";

export function TenantSettingsScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const tenant = useTenant();
  const [name, setName] = useState(tenant.name);
  const [confirmation, setConfirmation] = useState("");
  const rename = useMutation(trpc.tenants.rename.mutationOptions({ onSuccess: () => router.refresh() }));
  const remove = useMutation(trpc.tenants.delete.mutationOptions({ onSuccess: () => router.push("/") }));

  if (!tenant.can("owner")) {
    return (
      <>
        <PageHeader title="Workspace settings" />
        <Notice>Only owners can rename or delete this ISP workspace; you are a {tenant.role}.</Notice>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Workspace settings" />
      <div className="space-y-6">
        <Card title="Name and web address">
          <form
            className="flex flex-wrap items-start gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              rename.mutate({ tenantSlug: tenant.slug, name });
            }}
          >
            <div className="min-w-64 flex-1">
              <Field label="ISP name" error={fieldError(rename.error, "name")}>
                <Input value={name} onChange={(event) => setName(event.target.value)} required />
              </Field>
            </div>
            <Button type="submit" busy={rename.isPending} className="mt-6">
              Save name
            </Button>
          </form>
          <p className="mt-3 text-sm text-slate-600">
            Web address: <code className="font-mono">/t/{tenant.slug}</code> (fixed when the workspace was created)
          </p>
          {rename.isSuccess && <p className="mt-2 text-sm text-emerald-700">Saved.</p>}
          {formError(rename.error) && <Notice>{formError(rename.error)}</Notice>}
        </Card>
        <Card title="Delete workspace" className="border-red-200">
          <p className="mb-4 text-sm text-slate-700">
            Deleting removes this ISP workspace, its members&apos; access and its audit log for good. Type{" "}
            <code className="font-mono font-semibold">{tenant.slug}</code> to confirm.
          </p>
          <form
            className="flex flex-wrap items-start gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              remove.mutate({ tenantSlug: tenant.slug, confirmation });
            }}
          >
            <div className="min-w-64 flex-1">
              <Field label="Confirmation">
                <Input
                  value={confirmation}
                  onChange={(event) => setConfirmation(event.target.value)}
                  placeholder={tenant.slug}
                />
              </Field>
            </div>
            <Button
              type="submit"
              variant="danger"
              disabled={confirmation !== tenant.slug}
              busy={remove.isPending}
              className="mt-6"
            >
              Delete workspace
            </Button>
          </form>
          {formError(remove.error) && <Notice>{formError(remove.error)}</Notice>}
        </Card>
      </div>
    </>
  );
}

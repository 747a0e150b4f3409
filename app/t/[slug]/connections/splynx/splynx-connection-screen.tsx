"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ConnectionCheck } from "@/db/schema";
import { fieldError, formError, useTRPC } from "../../../../_components/trpc";
import { Badge, Button, Card, EmptyState, Field, Input, Notice, PageHeader, Select } from "../../../../_components/ui";
import { useTenant } from "../../tenant-context";
import { useTime } from "../../../../_components/zoned-time";

function CheckList({ checks }: { checks: ConnectionCheck[] }) {
  return (
    <ul className="divide-y divide-slate-100 text-sm" aria-label="Connection checks">
      {checks.map((check) => (
        <li key={check.id} className="flex items-start gap-3 py-2">
          <span aria-hidden className={check.ok ? "text-emerald-600" : "text-red-600"}>
            {check.ok ? "✓" : "✗"}
          </span>
          <span className="flex-1">
            <span className="font-medium">{check.label}</span>
            <span className="sr-only">{check.ok ? ": yes" : ": missing"}</span>
            {check.detail && <span className="block text-xs text-slate-600">{check.detail}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

type Form = { baseUrl: string; authMode: "signature" | "token"; apiKey: string; apiSecret: string };

export function SplynxConnectionScreen() {
  const time = useTime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const isAdmin = tenant.can("admin");
  const connection = useQuery(trpc.splynx.connection.queryOptions({ tenantSlug: tenant.slug }));
  const sandbox = useQuery({ ...trpc.splynx.sandbox.queryOptions({ tenantSlug: tenant.slug }), enabled: isAdmin });
  const [form, setForm] = useState<Form>({ baseUrl: "", authMode: "signature", apiKey: "", apiSecret: "" });
  useEffect(() => {
    if (connection.data)
      setForm((current) => ({ ...current, baseUrl: connection.data!.baseUrl, authMode: connection.data!.authMode }));
  }, [connection.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.splynx.connection.queryKey() });
  const save = useMutation(
    trpc.splynx.save.mutationOptions({
      onSuccess: () => {
        setForm((current) => ({ ...current, apiKey: "", apiSecret: "" }));
        refresh();
      },
    }),
  );
  const test = useMutation(trpc.splynx.test.mutationOptions({ onSettled: refresh }));
  const set = (key: keyof Form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [key]: event.target.value }));
  const lastTest = test.data ?? connection.data?.lastTest;

  return (
    <>
      <PageHeader
        title="Splynx connection"
        description="Where Ledgerlink reads customers, invoices, credit notes and payments, and writes imported payments."
      />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <Card title="Connection">
          {!isAdmin ? (
            connection.data ? (
              <dl className="space-y-2 text-sm">
                <div>
                  <dt className="text-slate-500">Splynx URL</dt>
                  <dd data-testid="splynx-url">{connection.data.baseUrl}</dd>
                </div>
                <div>
                  <dt className="text-slate-500">Authentication</dt>
                  <dd>{connection.data.authMode === "signature" ? "API key signature" : "Access token"}</dd>
                </div>
                <p className="pt-2 text-xs text-slate-500">Only admins see or change the API credentials.</p>
              </dl>
            ) : (
              <EmptyState>
                {connection.isLoading ? "Loading…" : "Splynx is not connected yet. An admin can connect it."}
              </EmptyState>
            )
          ) : (
            <form
              className="space-y-4"
              onSubmit={(event) => {
                event.preventDefault();
                save.mutate({
                  tenantSlug: tenant.slug,
                  baseUrl: form.baseUrl,
                  authMode: form.authMode,
                  apiKey: form.apiKey || undefined,
                  apiSecret: form.apiSecret || undefined,
                });
              }}
            >
              {formError(save.error) && <Notice>{formError(save.error)}</Notice>}
              {save.isSuccess && <Notice tone="success">Saved. Test the connection to check the permissions.</Notice>}
              <Field
                label="Splynx URL"
                error={fieldError(save.error, "baseUrl")}
                hint="For example https://isp.splynx.app"
              >
                <Input value={form.baseUrl} onChange={set("baseUrl")} placeholder="https://isp.splynx.app" required />
              </Field>
              <Field label="Authentication">
                <Select value={form.authMode} onChange={set("authMode")}>
                  <option value="signature">API key signature (recommended)</option>
                  <option value="token">Access token</option>
                </Select>
              </Field>
              <Field
                label="API key"
                error={fieldError(save.error, "apiKey")}
                hint={
                  connection.data?.apiKey ? `Stored: ${connection.data.apiKey}. Leave blank to keep it.` : undefined
                }
              >
                <Input value={form.apiKey} onChange={set("apiKey")} autoComplete="off" />
              </Field>
              <Field
                label="API secret"
                error={fieldError(save.error, "apiSecret")}
                hint={
                  connection.data?.apiSecret
                    ? form.baseUrl.trim().replace(/\/+$/, "") !== connection.data.baseUrl
                      ? "Enter it again for a new URL: the secret is only sent where it was entered for."
                      : `Stored: ${connection.data.apiSecret}. Leave blank to keep it.`
                    : undefined
                }
              >
                <Input type="password" value={form.apiSecret} onChange={set("apiSecret")} autoComplete="new-password" />
              </Field>
              <div className="flex gap-2">
                <Button type="submit" busy={save.isPending}>
                  Save
                </Button>
                <Button
                  type="button"
                  variant="secondary"
                  disabled={!connection.data}
                  busy={test.isPending}
                  onClick={() => test.mutate({ tenantSlug: tenant.slug })}
                >
                  Test connection
                </Button>
              </div>
              {formError(test.error) && <Notice>{formError(test.error)}</Notice>}
            </form>
          )}
        </Card>
        <div className="space-y-6">
          <Card title="Last test">
            {lastTest ? (
              <>
                <p className="mb-2 text-sm">
                  <Badge tone={lastTest.ok ? "emerald" : "red"}>
                    {lastTest.ok ? "All checks passed" : "Something is missing"}
                  </Badge>
                  <span className="ml-2 text-slate-500">{time(lastTest.testedAt)}</span>
                </p>
                <CheckList checks={lastTest.checks} />
              </>
            ) : (
              <EmptyState>Not tested since the details were saved.</EmptyState>
            )}
          </Card>
          {sandbox.data && (
            <Card title="Sandbox Splynx">
              <p className="mb-2 text-sm text-slate-600">
                A simulated Splynx inside this server, with generated customers and invoices.
              </p>
              <dl className="space-y-1 font-mono text-xs" data-testid="sandbox-details">
                <div>URL: {sandbox.data.baseUrl}</div>
                <div>Full key: {sandbox.data.keys.full.key}</div>
                <div>Full secret: {sandbox.data.keys.full.secret}</div>
                <div>Read-only key: {sandbox.data.keys.readOnly.key}</div>
                <div>Read-only secret: {sandbox.data.keys.readOnly.secret}</div>
              </dl>
            </Card>
          )}
        </div>
      </div>
    </>
  );
}

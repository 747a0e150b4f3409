"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { fieldError, formError, useTRPC } from "../../../../_components/trpc";
import { Badge, Button, Card, EmptyState, Field, Input, Notice, PageHeader, Select } from "../../../../_components/ui";
import { useTenant } from "../../tenant-context";
import { useTime } from "../../../../_components/zoned-time";

function OrganizationPicker() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const organizations = useQuery(trpc.zoho.organizations.queryOptions({ tenantSlug: tenant.slug }));
  const [chosen, setChosen] = useState("");
  const choose = useMutation(
    trpc.zoho.chooseOrganization.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }),
  );
  if (organizations.error) return <Notice>{organizations.error.message}</Notice>;
  if (!organizations.data) return <EmptyState>Loading your Zoho organizations…</EmptyState>;
  // Records linked into another organization: choosing this one erases their links, once the person confirms it.
  const eraseWarning = fieldError(choose.error, "eraseLinks");
  const chosenName = organizations.data.find((organization) => organization.organizationId === chosen)?.name;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        choose.mutate({ tenantSlug: tenant.slug, organizationId: chosen });
      }}
    >
      <p className="text-sm text-slate-600">Choose the Zoho organization that keeps this ISP&apos;s books.</p>
      <fieldset className="space-y-2" aria-label="Zoho organizations">
        {organizations.data.map((organization) => (
          <label
            key={organization.organizationId}
            className="flex items-center gap-3 rounded-md border border-slate-200 px-3 py-2 text-sm hover:bg-slate-50"
          >
            <input
              type="radio"
              name="organization"
              value={organization.organizationId}
              checked={chosen === organization.organizationId}
              onChange={() => {
                setChosen(organization.organizationId);
                choose.reset();
              }}
            />
            <span className="flex-1 font-medium">{organization.name}</span>
            <span className="text-xs text-slate-500">
              {organization.currencyCode} · {organization.planName.toLowerCase()} plan · {organization.organizationId}
            </span>
          </label>
        ))}
      </fieldset>
      {(formError(choose.error) ?? fieldError(choose.error, "organizationId")) && (
        <Notice>{formError(choose.error) ?? fieldError(choose.error, "organizationId")}</Notice>
      )}
      {eraseWarning ? (
        <div className="space-y-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900" role="alert">
          <p className="font-medium">{eraseWarning}</p>
          <p>
            Their links are erased: Ledgerlink forgets which Zoho records they were. Customers that{" "}
            {chosenName ?? "this organization"} already holds are held for review on Pairing (or paired, if Settings say
            so), never created twice.
          </p>
          <div className="flex gap-2">
            <Button
              type="button"
              variant="danger"
              busy={choose.isPending}
              onClick={() => choose.mutate({ tenantSlug: tenant.slug, organizationId: chosen, eraseLinks: true })}
            >
              Erase the links and use {chosenName ?? "this organization"}
            </Button>
            <Button type="button" variant="secondary" onClick={() => choose.reset()}>
              Keep the links
            </Button>
          </div>
        </div>
      ) : (
        <Button type="submit" disabled={!chosen} busy={choose.isPending}>
          Use this organization
        </Button>
      )}
    </form>
  );
}

function ConnectForm({
  regions,
  scopes,
  sharedAppAvailable,
}: {
  regions: { code: string; label: string }[];
  scopes: readonly string[];
  sharedAppAvailable: boolean;
}) {
  const trpc = useTRPC();
  const tenant = useTenant();
  const [region, setRegion] = useState(regions[0]?.code ?? "US");
  const [ownApp, setOwnApp] = useState(!sharedAppAvailable);
  const [clientId, setClientId] = useState("");
  const [clientSecret, setClientSecret] = useState("");
  const connect = useMutation(trpc.zoho.connect.mutationOptions({ onSuccess: (url) => window.location.assign(url) }));
  // The sandbox always has its own app; real regions need the operator's shared app or the tenant's own.
  const needsOwnApp = region !== "SANDBOX" && ownApp;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        connect.mutate({
          tenantSlug: tenant.slug,
          region,
          ownApp: needsOwnApp ? { clientId, clientSecret } : undefined,
        });
      }}
    >
      {formError(connect.error) && <Notice>{formError(connect.error)}</Notice>}
      <Field label="Region (data centre)">
        <Select value={region} onChange={(event) => setRegion(event.target.value)}>
          {regions.map((option) => (
            <option key={option.code} value={option.code}>
              {option.label}
            </option>
          ))}
        </Select>
      </Field>
      {region !== "SANDBOX" && (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={ownApp}
            disabled={!sharedAppAvailable}
            onChange={(event) => setOwnApp(event.target.checked)}
          />
          Use our own Zoho application {!sharedAppAvailable && "(this server has no shared app)"}
        </label>
      )}
      {needsOwnApp && (
        <div className="grid gap-3 md:grid-cols-2">
          <Field label="Client id" error={fieldError(connect.error, "clientId")}>
            <Input value={clientId} onChange={(event) => setClientId(event.target.value)} autoComplete="off" />
          </Field>
          <Field label="Client secret" error={fieldError(connect.error, "clientSecret")}>
            <Input
              type="password"
              value={clientSecret}
              onChange={(event) => setClientSecret(event.target.value)}
              autoComplete="new-password"
            />
          </Field>
        </div>
      )}
      <div className="text-xs text-slate-600">
        <p className="font-medium">Ledgerlink asks Zoho for:</p>
        <ul className="mt-1 list-inside list-disc font-mono">
          {scopes.map((scope) => (
            <li key={scope}>{scope}</li>
          ))}
        </ul>
      </div>
      <Button type="submit" busy={connect.isPending}>
        Connect with Zoho Books
      </Button>
    </form>
  );
}

export function ZohoConnectionScreen({ notices }: { notices: { error?: string; warning?: string } }) {
  const time = useTime();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const search = useSearchParams();
  const isAdmin = tenant.can("admin");
  const connection = useQuery(trpc.zoho.connection.queryOptions({ tenantSlug: tenant.slug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.zoho.connection.queryKey() });
  const refreshToken = useMutation(trpc.zoho.refreshToken.mutationOptions({ onSettled: refresh }));
  const disconnect = useMutation(trpc.zoho.disconnect.mutationOptions({ onSuccess: refresh }));
  const data = connection.data;

  return (
    <>
      <PageHeader
        title="Zoho Books connection"
        description="Where Ledgerlink writes customers, invoices, credit notes and payments."
      />
      <div className="mb-4 space-y-2">
        {notices.error && <Notice>{notices.error}</Notice>}
        {notices.warning && <Notice tone="info">{notices.warning}</Notice>}
        {search.get("connected") && data?.connected && !data.organizationId && (
          <Notice tone="success">Connected to Zoho. Now choose the organization.</Notice>
        )}
        {data?.connected && data.state === "needs_reconnect" && (
          <Notice>
            Zoho no longer accepts this connection ({data.stateReason}). Scheduled syncs are paused until an admin
            connects again.
          </Notice>
        )}
      </div>
      {!data ? (
        <EmptyState>{connection.isLoading ? "Loading…" : "Could not load the connection."}</EmptyState>
      ) : !data.connected || data.state === "needs_reconnect" ? (
        <Card title={data.connected ? "Reconnect" : "Connect"}>
          {isAdmin ? (
            <ConnectForm regions={data.regions} scopes={data.scopes} sharedAppAvailable={data.sharedAppAvailable} />
          ) : (
            <EmptyState>Zoho Books is not connected. An admin can connect it.</EmptyState>
          )}
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
          <Card title="Organization">
            {data.organizationId ? (
              <>
                <p className="text-sm">
                  <span className="font-medium" data-testid="zoho-organization">
                    {data.organizationName}
                  </span>{" "}
                  <span className="text-slate-500">({data.organizationId})</span>
                </p>
                {isAdmin && (
                  <p className="mt-2 text-xs text-slate-500">
                    Every synced record is linked to a record of this organization. To use another one, reset the
                    accounting data and forget the organization on{" "}
                    <Link href={`/t/${tenant.slug}/mapping`} className="text-indigo-700 hover:underline">
                      Data mapping
                    </Link>
                    , then choose it here.
                  </p>
                )}
              </>
            ) : isAdmin ? (
              <OrganizationPicker />
            ) : (
              <EmptyState>No organization chosen yet.</EmptyState>
            )}
          </Card>
          <Card title="Connection">
            <dl className="space-y-2 text-sm">
              <div className="flex justify-between">
                <dt className="text-slate-500">State</dt>
                <dd>
                  <Badge tone="emerald">connected</Badge>
                </dd>
              </div>
              <div className="flex justify-between">
                <dt className="text-slate-500">Region</dt>
                <dd>{data.regions.find((option) => option.code === data.region)?.label ?? data.region}</dd>
              </div>
              {data.ownClientId && (
                <div className="flex justify-between">
                  <dt className="text-slate-500">Own application</dt>
                  <dd className="font-mono text-xs">{data.ownClientId}</dd>
                </div>
              )}
              <div className="flex justify-between">
                <dt className="text-slate-500">Connected</dt>
                <dd>{time(data.connectedAt)}</dd>
              </div>
              <div className="flex justify-between">
                <dt className="text-slate-500">API calls today</dt>
                <dd data-testid="zoho-calls-today">
                  {data.usage
                    ? `${data.usage.callsToday}${data.usage.dailyLimit ? ` of ${data.usage.dailyLimit}` : ""}`
                    : "—"}
                </dd>
              </div>
            </dl>
            {isAdmin && (
              <div className="mt-4 flex gap-2">
                <Button
                  variant="secondary"
                  busy={refreshToken.isPending}
                  onClick={() => refreshToken.mutate({ tenantSlug: tenant.slug })}
                >
                  Refresh OAuth token
                </Button>
                <Button
                  variant="danger"
                  busy={disconnect.isPending}
                  onClick={() =>
                    confirm("Disconnect Zoho Books? Ledgerlink revokes its access.") &&
                    disconnect.mutate({ tenantSlug: tenant.slug })
                  }
                >
                  Disconnect
                </Button>
              </div>
            )}
            {refreshToken.isSuccess && <p className="mt-2 text-sm text-emerald-700">Token refreshed.</p>}
            {formError(refreshToken.error ?? disconnect.error) && (
              <div className="mt-2">
                <Notice>{formError(refreshToken.error ?? disconnect.error)}</Notice>
              </div>
            )}
          </Card>
        </div>
      )}
    </>
  );
}

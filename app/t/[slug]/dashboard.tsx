"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type RouterOutputs, useTRPC } from "../../_components/trpc";
import { RunSummary, statusTone } from "../../_components/run-summary";
import { Badge, Card, EmptyState, PageHeader, roleTone } from "../../_components/ui";
import { AuditTable } from "./audit/audit-table";
import { useTime } from "../../_components/zoned-time";
import { useTenant } from "./tenant-context";
import { ReconciliationCard } from "./reconciliation/dashboard-card";
import { RunEta } from "./sync/run-eta";

type Setup = RouterOutputs["mapping"]["setup"];

const going = (run: { status: string } | null | undefined) => run?.status === "queued" || run?.status === "running";

/** The sync going now, with its progress and how long it still needs; polled while it goes, absent otherwise. */
function RunningSync() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const current = useQuery({
    ...trpc.sync.current.queryOptions({ tenantSlug: tenant.slug }),
    refetchInterval: (query) => (going(query.state.data) ? 2000 : false),
  });
  const run = current.data;
  if (!run || !going(run)) return null;
  return (
    <Card title="Sync running" className="mb-6">
      <RunSummary run={run} />
      <RunEta run={run} />
      <Link href={`/t/${tenant.slug}/sync`} className="mt-2 inline-block text-sm text-indigo-700 hover:underline">
        Follow it on the Sync page
      </Link>
    </Card>
  );
}

/** The one thing to do next in the setup of the ISP, with where to do it; the path so far, step by step. */
function NextStep({ setup }: { setup: Setup | undefined }) {
  if (!setup) return null;
  const position = setup.next ? setup.steps.indexOf(setup.steps.find((step) => step.id === setup.next!.id)!) : -1;
  return (
    <Card title="Next step" className="mb-6">
      {setup.next ? (
        <div data-testid="next-step">
          <p className="text-sm text-slate-500">
            Step {position + 1} of {setup.steps.length}
          </p>
          <p className="mt-1 text-base font-medium">
            <Link href={setup.next.href} className="text-indigo-700 hover:underline">
              {setup.next.label}
            </Link>
          </p>
          <p className="mt-1 text-sm text-slate-600">{setup.next.detail}</p>
        </div>
      ) : (
        <p className="text-sm" data-testid="next-step">
          Set up: Ledgerlink syncs this ISP on its schedule. Check the Records and the Sync log after each run.
        </p>
      )}
      <ol className="mt-4 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500" aria-label="Setup steps">
        {setup.steps.map((step, index) => (
          <li key={step.id} aria-current={step.id === setup.next?.id ? "step" : undefined}>
            <span aria-hidden className={step.done ? "text-emerald-600" : ""}>
              {step.done ? "✓" : `${index + 1}.`}
            </span>{" "}
            <Link href={step.href} className={step.id === setup.next?.id ? "font-medium text-indigo-700" : ""}>
              {step.label}
            </Link>
            <span className="sr-only">{step.done ? ": done" : ": to do"}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

export function Dashboard() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const time = useTime();
  const current = useQuery(trpc.tenants.current.queryOptions({ tenantSlug: tenant.slug }));
  const recent = useQuery({
    ...trpc.audit.list.queryOptions({ tenantSlug: tenant.slug, limit: 8 }),
    enabled: tenant.can("admin"),
  });
  const checklist = useQuery(trpc.mapping.checklist.queryOptions({ tenantSlug: tenant.slug }));
  const setup = useQuery(trpc.mapping.setup.queryOptions({ tenantSlug: tenant.slug }));
  const overview = useQuery(trpc.sync.overview.queryOptions({ tenantSlug: tenant.slug }));
  // To the first kind of record with failures, filtered on them; to Records when none failed.
  const failing = overview.data?.entities.find((entity) => (overview.data?.failedByEntity[entity] ?? 0) > 0);
  const failedHref = failing ? `/t/${tenant.slug}/records?entity=${failing}&state=failed` : `/t/${tenant.slug}/records`;
  return (
    <>
      <PageHeader title={tenant.name} description="This ISP's sync between Splynx and Zoho Books at a glance." />
      <NextStep setup={setup.data} />
      <RunningSync />
      <Card title="Setup checklist" className="mb-6">
        {checklist.data ? (
          <ul className="divide-y divide-slate-100 text-sm" aria-label="Setup checklist">
            {checklist.data.map((item) => (
              <li key={item.id} className="flex items-center gap-3 py-2">
                <span aria-hidden className={item.done ? "text-emerald-600" : "text-amber-600"}>
                  {item.done ? "✓" : "○"}
                </span>
                <span className="flex-1">
                  {item.label}
                  <span className="sr-only">{item.done ? ": done" : ": to do"}</span>
                  {!item.done && item.detail && <span className="ml-2 text-xs text-slate-500">{item.detail}</span>}
                </span>
                {!item.done && (
                  <Link href={item.href} className="text-indigo-700 hover:underline">
                    Fix
                  </Link>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Loading…</EmptyState>
        )}
      </Card>
      <div className="grid gap-4 md:grid-cols-4">
        <Card title="Your role">
          <Badge tone={roleTone[tenant.role]}>{tenant.role}</Badge>
        </Card>
        <Card title="Last sync">
          {overview.data?.lastRun ? (
            <p className="text-sm">
              <Badge tone={statusTone[overview.data.lastRun.status]}>{overview.data.lastRun.status}</Badge>{" "}
              <span className="text-slate-600">
                {time(overview.data.lastRun.finishedAt ?? overview.data.lastRun.createdAt)}
              </span>
              {overview.data.lastRun.status === "paused" && overview.data.lastRun.error && (
                <span className="mt-1 block text-xs text-slate-600">{overview.data.lastRun.error}</span>
              )}
            </p>
          ) : (
            <p className="text-sm text-slate-500">
              No sync yet: failed records and counts appear here after the first run.
            </p>
          )}
          {overview.data?.lastRun && (
            <p className="mt-2 text-sm">
              <Link
                href={failedHref}
                className={
                  overview.data.failed ? "font-medium text-red-700 hover:underline" : "text-indigo-700 hover:underline"
                }
                data-testid="failed-count"
              >
                {overview.data.failed} failed records
              </Link>
            </p>
          )}
          <p className="mt-1 text-sm">
            <Link
              href={`/t/${tenant.slug}/pairing?state=held`}
              className={
                overview.data?.held ? "font-medium text-amber-800 hover:underline" : "text-indigo-700 hover:underline"
              }
              data-testid="held-count"
            >
              {overview.data?.held ?? 0} customers need review
            </Link>
          </p>
        </Card>
        <Card title="Next scheduled run">
          <p className="text-sm" data-testid="next-run">
            {overview.data?.paused
              ? "Paused: Zoho Books needs reconnecting."
              : overview.data?.nextRun
                ? time(overview.data.nextRun)
                : "None: every schedule toggle is off."}
          </p>
          <Link href={`/t/${tenant.slug}/settings`} className="text-sm text-indigo-700 hover:underline">
            Schedule settings
          </Link>
        </Card>
        <Card title="Members">
          <p className="text-2xl font-semibold" data-testid="member-count">
            {current.data?.memberCount ?? "…"}
          </p>
          <Link href={`/t/${tenant.slug}/members`} className="text-sm text-indigo-700 hover:underline">
            {tenant.can("owner") ? "Manage members" : "See members"}
          </Link>
        </Card>
        <ReconciliationCard tenantSlug={tenant.slug} />
      </div>
      {tenant.can("admin") && (
        <Card title="Recent activity" className="mt-6">
          {recent.data && recent.data.entries.length > 0 ? (
            <AuditTable entries={recent.data.entries} />
          ) : (
            <EmptyState>
              {recent.isLoading
                ? "Loading…"
                : "Nothing recorded yet: connections, settings, mapping changes and syncs are listed here as people make them."}
            </EmptyState>
          )}
        </Card>
      )}
    </>
  );
}

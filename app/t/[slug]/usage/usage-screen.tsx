"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../_components/trpc";
import { Card, EmptyState, PageHeader } from "../../../_components/ui";
import { useTenant } from "../tenant-context";
import { CallsChart, RunsChart } from "./usage-charts";
import { useTime } from "../../../_components/zoned-time";

const count = (value: number) => value.toLocaleString("en-US");

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded border border-slate-200 px-3 py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function UsageScreen() {
  const time = useTime();
  const trpc = useTRPC();
  const tenant = useTenant();
  const budget = useQuery(trpc.usage.budget.queryOptions({ tenantSlug: tenant.slug }));
  const data = budget.data;
  const organization = data?.organization;
  return (
    <>
      <PageHeader
        title="Zoho API budget"
        description="Zoho Books allows each organization 100 calls a minute and a daily quota set by its plan. Syncs stop before the reserve, which is kept for the ISP's other integrations."
      />
      {!data ? (
        <EmptyState>Loading…</EmptyState>
      ) : !organization ? (
        <EmptyState>
          No Zoho organization is chosen yet: its calls show here once one is.{" "}
          <Link href={`/t/${tenant.slug}/connections/zoho`} className="text-indigo-700 underline">
            Connect Zoho Books
          </Link>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Card title={`Today: ${organization.name}`}>
            <dl className="grid grid-cols-2 gap-3 text-center sm:grid-cols-4">
              <Figure label="Calls today (UTC)" value={count(organization.callsToday)} testId="calls-today" />
              <Figure
                label="Daily quota"
                value={organization.dailyLimit === null ? "not reported yet" : count(organization.dailyLimit)}
              />
              <Figure
                label={`Reserve (${data.reservePercent} %)`}
                value={organization.reserve === null ? "–" : count(organization.reserve)}
              />
              <Figure
                label="Left for syncs"
                value={
                  organization.dailyLimit === null || organization.reserve === null
                    ? "–"
                    : count(Math.max(0, organization.dailyLimit - organization.reserve - organization.callsToday))
                }
              />
            </dl>
            <p className="mt-3 text-xs text-slate-500">
              {organization.resetsAt
                ? `Zoho resets the quota at ${time(organization.resetsAt)}.`
                : "Zoho reports the quota with its answers; it shows here after the first sync."}{" "}
              The reserve is set in{" "}
              <Link href={`/t/${tenant.slug}/settings`} className="text-indigo-700 underline">
                Settings
              </Link>
              .
            </p>
          </Card>
          <Card title="Zoho calls per day (last 30 days, UTC)">
            <CallsChart days={organization.calls} dailyLimit={organization.dailyLimit} />
          </Card>
        </div>
      )}
      {data && (
        <Card title="Runs per day: records created, updated and failed" className="mt-6">
          {data.runs.some((day) => day.runs > 0) ? (
            <RunsChart days={data.runs} />
          ) : (
            <EmptyState>No sync ran in the last 30 days; each run's records will show here by day.</EmptyState>
          )}
        </Card>
      )}
    </>
  );
}

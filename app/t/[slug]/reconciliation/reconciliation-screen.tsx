"use client";
// The reconciliation report: Splynx's totals against Zoho's per period and customer, every mismatch listed; on demand
// and on a schedule.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ReconciliationSchedule } from "@/db/schema";
import type { ReconciliationSummary } from "@/server/reconciliation/reconcile";
import { ReportCsvLink, ReportStatus, reportActive, useLatestReports } from "../../../_components/report-status";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import { Button, Card, EmptyState, Field, Input, Notice, PageHeader, Select } from "../../../_components/ui";
import { useTenant } from "../tenant-context";
import { CustomerTotals, Mismatches } from "./lines";
import { MismatchCounts, PeriodTotals } from "./summary";

const SCHEDULES: { value: ReconciliationSchedule; label: string }[] = [
  { value: "weekly", label: "Weekly (the default)" },
  { value: "daily", label: "Daily" },
  { value: "monthly", label: "Monthly" },
  { value: "off", label: "Off: only on demand" },
];

function ScheduleField() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const schedule = useQuery(trpc.reconciliation.schedule.queryOptions({ tenantSlug: tenant.slug }));
  const save = useMutation(
    trpc.reconciliation.setSchedule.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reconciliation.schedule.queryKey() }),
    }),
  );
  return (
    <Field label="Runs by itself" hint="A scheduled report covers everything since the export-from date.">
      <Select
        value={schedule.data ?? "weekly"}
        disabled={!tenant.can("admin") || save.isPending}
        onChange={(event) =>
          save.mutate({ tenantSlug: tenant.slug, schedule: event.target.value as ReconciliationSchedule })
        }
      >
        {SCHEDULES.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

function StartForm({ busy }: { busy: boolean }) {
  const trpc = useTRPC();
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const [period, setPeriod] = useState({ from: "", to: "" });
  const start = useMutation(
    trpc.reconciliation.start.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reconciliation.latest.queryKey() }),
    }),
  );
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate({ tenantSlug: tenant.slug, from: period.from || null, to: period.to || null });
      }}
    >
      {formError(start.error) && <Notice>{formError(start.error)}</Notice>}
      <div className="grid grid-cols-2 gap-3">
        <Field label="From" error={fieldError(start.error, "from")} hint="Blank: the export-from date">
          <Input
            type="date"
            value={period.from}
            onChange={(event) => setPeriod({ ...period, from: event.target.value })}
          />
        </Field>
        <Field label="To" error={fieldError(start.error, "to")} hint="Blank: today">
          <Input type="date" value={period.to} onChange={(event) => setPeriod({ ...period, to: event.target.value })} />
        </Field>
      </div>
      <Button type="submit" busy={start.isPending || busy}>
        Reconcile now
      </Button>
    </form>
  );
}

export function ReconciliationScreen() {
  const tenant = useTenant();
  const latest = useLatestReports("reconciliation", tenant.slug);
  const report = latest.data?.[0];
  const summary = report?.status === "succeeded" ? (report.summary as ReconciliationSummary | null) : null;
  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="Splynx's totals against Zoho's, per month and per customer, for invoices, credit notes and payments, with every mismatch: a document missing on one side, totals or status that differ, Zoho records no link holds. It only reads Zoho."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Reconcile">
          <div className="space-y-4">
            {tenant.can("admin") ? (
              <StartForm busy={reportActive(report)} />
            ) : (
              <EmptyState>Admins start reconciliations.</EmptyState>
            )}
            <ScheduleField />
          </div>
        </Card>
        <Card title="Latest report">
          {report ? (
            <ReportStatus report={report} />
          ) : (
            <EmptyState>No reconciliation yet: start one, or wait for the weekly one.</EmptyState>
          )}
        </Card>
      </div>
      {report && summary && (
        <>
          <Card title="Mismatches found" className="mt-6">
            <div className="mb-4 flex justify-between text-sm text-slate-600">
              <span>
                {summary.from ? `From ${summary.from}` : "From the first document"}
                {summary.to ? ` to ${summary.to}` : " to today"} · {summary.customersDiffering} of {summary.customers}{" "}
                customers differ
              </span>
              <ReportCsvLink kind="reconciliation" tenantSlug={tenant.slug} reportId={report.id} />
            </div>
            <MismatchCounts summary={summary} />
          </Card>
          <Card title="Per period" className="mt-6">
            {summary.periods.length ? (
              <PeriodTotals summary={summary} />
            ) : (
              <EmptyState>No document in the period.</EmptyState>
            )}
          </Card>
          <Mismatches key={`m-${report.id}`} reportId={report.id} />
          <CustomerTotals key={`c-${report.id}`} reportId={report.id} />
        </>
      )}
    </>
  );
}

"use client";
// A report's state and progress (preview and reconciliation alike), and the hook that follows the latest one live.
import { useQuery } from "@tanstack/react-query";
import type { ReportKind } from "@/db/schema";
import { type RouterOutputs, useTRPC } from "./trpc";
import { Badge, Notice } from "./ui";
import { ENTITY_NAMES, isSyncEntity } from "./entities";
import { useTime } from "./zoned-time";

export type ReportView = RouterOutputs["preview"]["latest"][number];

const TONE = { queued: "slate", running: "indigo", succeeded: "emerald", failed: "red" } as const;
export const reportActive = (report: ReportView | undefined) =>
  report !== undefined && (report.status === "queued" || report.status === "running");

/** The tenant's latest reports of the kind, refreshed every second while the newest is being made. */
export function useLatestReports(kind: ReportKind, tenantSlug: string) {
  const trpc = useTRPC();
  const options =
    kind === "preview"
      ? trpc.preview.latest.queryOptions({ tenantSlug })
      : trpc.reconciliation.latest.queryOptions({ tenantSlug });
  return useQuery({
    ...options,
    refetchInterval: (query) => (reportActive(query.state.data?.[0]) ? 1000 : false),
  });
}

const stepName = (step: string) => (isSyncEntity(step) ? ENTITY_NAMES[step].plural : step);

export function ReportStatus({ report }: { report: ReportView }) {
  const time = useTime();
  const { done, total, step } = report.progress;
  return (
    <div className="space-y-2 text-sm" data-testid="report-status">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={TONE[report.status]}>{report.status}</Badge>
        <span className="text-slate-600">
          {report.trigger === "schedule" ? "Scheduled" : "Started"} {time(report.createdAt)}
          {report.finishedAt && `, finished ${time(report.finishedAt)}`}
        </span>
      </p>
      {reportActive(report) && (
        <p data-testid="report-progress">
          {total ? `${done} of ${total} records` : `${done} read`} · {stepName(step)}
        </p>
      )}
      <p className="text-slate-600" data-testid="report-zoho-calls">
        Zoho calls: {report.zohoCalls} (reads only; a report never writes to Zoho)
      </p>
      {report.error && <Notice>{report.error}</Notice>}
    </div>
  );
}

/** The link that downloads the report's lines as CSV. */
export function ReportCsvLink({
  kind,
  tenantSlug,
  reportId,
}: {
  kind: ReportKind;
  tenantSlug: string;
  reportId: string;
}) {
  return (
    <a
      href={`/api/t/${tenantSlug}/reports/${kind}/${reportId}/rows.csv`}
      className="text-sm font-medium text-indigo-700 hover:underline"
    >
      Export CSV
    </a>
  );
}

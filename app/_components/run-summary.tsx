// A run's state, progress and counts, the same on the Sync page and in the sync log.
import type { RunCounts, RunStatus } from "@/db/schema";
import { Badge, formatDateTime } from "./ui";

export type RunView = { id: string; status: RunStatus; trigger: string; counts: RunCounts; progress: { done: number; total: number | null; step: string }; zohoCalls: number; error: string | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null };

export const statusTone = { queued: "slate", running: "indigo", succeeded: "emerald", failed: "red", cancelled: "amber", paused: "amber" } as const;

export function RunSummary({ run }: { run: RunView }) {
  const { done, total } = run.progress;
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="space-y-3 text-sm">
      <p>
        <Badge tone={statusTone[run.status]}>{run.status}</Badge> <span className="text-slate-500">{run.trigger} · started {formatDateTime(run.startedAt ?? run.createdAt)}{run.finishedAt && ` · finished ${formatDateTime(run.finishedAt)}`}</span>
      </p>
      <div>
        <div className="mb-1 flex justify-between text-xs text-slate-600">
          <span data-testid="run-progress">
            {done} of {total ?? "…"} records
          </span>
          <span>{run.zohoCalls} Zoho calls</span>
        </div>
        <div className="h-2 overflow-hidden rounded bg-slate-100" role="progressbar" aria-valuenow={percent ?? undefined} aria-valuemin={0} aria-valuemax={100}>
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent ?? 0}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-5 gap-2 text-center" data-testid="run-counts">
        {(["created", "updated", "unchanged", "skipped", "failed"] as const).map((key) => (
          <div key={key} className="rounded border border-slate-200 px-2 py-1">
            <dt className="text-xs text-slate-500">{key}</dt>
            <dd className={`font-semibold ${key === "failed" && run.counts.failed > 0 ? "text-red-700" : ""}`}>{run.counts[key]}</dd>
          </div>
        ))}
      </dl>
      {run.error && <p className="text-red-700">{run.error}</p>}
    </div>
  );
}

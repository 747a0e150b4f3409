// A run's state, progress and counts, the same on the Sync page and in the sync log.
import type { RunCounts, RunStatus, SyncEntity } from "@/db/schema";
import { ENTITY_NAMES, isSyncEntity } from "./entities";
import { Badge, Notice } from "./ui";
import { ExplainedMessage } from "./explained-message";
import { useTime } from "./zoned-time";

export type RunView = {
  id: string;
  status: RunStatus;
  trigger: string;
  entities: SyncEntity[];
  counts: RunCounts;
  progress: { done: number; total: number | null; step: string };
  zohoCalls: number;
  error: string | null;
  resumeAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export const statusTone = {
  queued: "slate",
  running: "indigo",
  succeeded: "emerald",
  failed: "red",
  cancelled: "amber",
  paused: "amber",
} as const;

const COUNTS = ["created", "updated", "unchanged", "skipped", "held", "failed"] as const;

/** The run's entities in the order it syncs them and, while it runs, the one it is on (its progress step). */
function EntitySteps({ run }: { run: RunView }) {
  const step = run.progress.step;
  const current = isSyncEntity(step) && (run.status === "running" || run.status === "queued") ? step : null;
  return (
    <ol
      className="flex flex-wrap items-center gap-1 text-xs text-slate-600"
      aria-label="Entities of this run"
      data-testid="run-entities"
    >
      {run.entities.map((entity, index) => (
        <li key={entity} className="flex items-center gap-1" aria-current={entity === current ? "step" : undefined}>
          {index > 0 && <span aria-hidden>→</span>}
          <span
            className={
              entity === current ? "rounded bg-indigo-100 px-1.5 py-0.5 font-medium text-indigo-800" : "px-1.5 py-0.5"
            }
          >
            {ENTITY_NAMES[entity].plural}
          </span>
        </li>
      ))}
      {current && (
        <li className="ml-2" data-testid="run-step">
          now on {ENTITY_NAMES[current].plural}
        </li>
      )}
    </ol>
  );
}

export function RunSummary({ run }: { run: RunView }) {
  const { done, total } = run.progress;
  const percent = total ? Math.min(100, Math.round((done / total) * 100)) : null;
  const time = useTime();
  return (
    <div className="space-y-3 text-sm">
      <p>
        <Badge tone={statusTone[run.status]}>{run.status}</Badge>{" "}
        <span className="text-slate-500">
          {run.trigger} · started {time(run.startedAt ?? run.createdAt)}
          {run.finishedAt && ` · finished ${time(run.finishedAt)}`}
        </span>
      </p>
      {run.entities.length > 0 && <EntitySteps run={run} />}
      <div>
        <div className="mb-1 flex justify-between text-xs text-slate-600">
          <span data-testid="run-progress">
            {done} of {total ?? "…"} records
          </span>
          <span>{run.zohoCalls} Zoho calls</span>
        </div>
        <div
          className="h-2 overflow-hidden rounded bg-slate-100"
          role="progressbar"
          aria-label="Records handled"
          aria-valuenow={percent ?? undefined}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="h-full bg-indigo-500 transition-all" style={{ width: `${percent ?? 0}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-3 gap-2 text-center sm:grid-cols-6" data-testid="run-counts">
        {COUNTS.map((key) => {
          const count = run.counts[key] ?? 0;
          const tone =
            count > 0 && key === "failed" ? "text-red-700" : count > 0 && key === "held" ? "text-amber-800" : "";
          return (
            <div key={key} className="rounded border border-slate-200 px-2 py-1">
              <dt className="text-xs text-slate-500">{key}</dt>
              <dd className={`font-semibold ${tone}`}>{count}</dd>
            </div>
          );
        })}
      </dl>
      {run.status === "paused" ? (
        <div data-testid="run-paused">
          <Notice tone="info">
            {run.error ?? "Paused."}
            {run.resumeAt && (
              <span className="mt-1 block font-medium">It goes on by itself at {time(run.resumeAt)}.</span>
            )}
          </Notice>
        </div>
      ) : (
        run.error && (
          <p className="text-red-700">
            <ExplainedMessage message={run.error} />
          </p>
        )
      )}
    </div>
  );
}

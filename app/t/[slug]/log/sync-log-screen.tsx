"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { ENTITY_NAMES } from "../../../_components/entities";
import { RunSummary, statusTone } from "../../../_components/run-summary";
import { useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, EmptyState, Field, PageHeader, Select, Table } from "../../../_components/ui";
import { ExplainedMessage } from "../../../_components/explained-message";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";

const ACTIONS = ["created", "updated", "adopted", "skipped", "failed", "held", "warning"] as const;

function RunEntries({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const tenant = useTenant();
  const time = useTime();
  const [action, setAction] = useState<(typeof ACTIONS)[number] | "">("");
  const run = useQuery(trpc.sync.run.queryOptions({ tenantSlug: tenant.slug, runId }));
  const entries = useInfiniteQuery(
    trpc.sync.entries.infiniteQueryOptions(
      { tenantSlug: tenant.slug, runId, action: action || undefined, limit: 100 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const rows = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <Card title="Run">
      {run.data && <RunSummary run={run.data} />}
      <div className="my-4 flex items-end justify-between gap-3">
        <div className="w-48">
          <Field label="Action">
            <Select value={action} onChange={(event) => setAction(event.target.value as typeof action)}>
              <option value="">Any action</option>
              {ACTIONS.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </Select>
          </Field>
        </div>
        <a className="text-sm text-indigo-700 hover:underline" href={`/api/t/${tenant.slug}/runs/${runId}/entries.csv`}>
          Export CSV
        </a>
      </div>
      {rows.length === 0 ? (
        <EmptyState>
          {entries.isLoading
            ? "Loading…"
            : "No entries: each record the run created, updated, skipped or failed is listed here (unchanged ones are not)."}
        </EmptyState>
      ) : (
        <Table head={["When", "Record", "Customer", "Zoho id", "Action", "Message"]}>
          {rows.map((entry) => (
            <tr key={entry.id} className="align-top">
              <td className="px-3 py-2 text-slate-600">{time(entry.createdAt)}</td>
              <td className="px-3 py-2">
                {ENTITY_NAMES[entry.entity].noun} {entry.documentNumber ?? ""}
                <span className="block font-mono text-xs text-slate-500">Splynx {entry.splynxId}</span>
              </td>
              <td className="px-3 py-2">{entry.customerName}</td>
              <td className="px-3 py-2 font-mono text-xs">{entry.zohoId}</td>
              <td className="px-3 py-2">{entry.action}</td>
              <td className="min-w-48 break-words px-3 py-2 text-slate-600">
                <ExplainedMessage message={entry.message} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      {entries.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" busy={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </Card>
  );
}

export function SyncLogScreen() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const time = useTime();
  const search = useSearchParams();
  const runs = useInfiniteQuery(
    trpc.sync.runs.infiniteQueryOptions(
      { tenantSlug: tenant.slug, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const list = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const selected = search.get("run") ?? list[0]?.id;
  return (
    <>
      <PageHeader
        title="Sync log"
        description="Every run, who or what started it, what it did, and the Zoho calls it spent."
      />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div>
          {list.length === 0 ? (
            <EmptyState>
              {runs.isLoading
                ? "Loading…"
                : "No runs yet: each sync, started on the Sync page or by the schedule, is listed here with its counts."}
            </EmptyState>
          ) : (
            <Table head={["Started", "Trigger", "Status", "Created / failed", "Calls"]}>
              {list.map((run) => (
                <tr key={run.id} className={run.id === selected ? "bg-indigo-50" : ""}>
                  <td className="px-3 py-2">
                    <Link href={`/t/${tenant.slug}/log?run=${run.id}`} className="text-indigo-700 hover:underline">
                      {time(run.createdAt)}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    {run.trigger}
                    <span className="block text-xs text-slate-500">
                      {run.entities.map((entity) => ENTITY_NAMES[entity].plural).join(" → ")}
                    </span>
                    {run.requestedByEmail && (
                      <span className="block text-xs text-slate-500">{run.requestedByEmail}</span>
                    )}
                  </td>
                  <td className="px-4 py-2">
                    <Badge tone={statusTone[run.status]}>{run.status}</Badge>
                  </td>
                  <td className="px-4 py-2">
                    {run.counts.created} / {run.counts.failed}
                  </td>
                  <td className="px-4 py-2">{run.zohoCalls}</td>
                </tr>
              ))}
            </Table>
          )}
          {runs.hasNextPage && (
            <div className="mt-4 text-center">
              <Button variant="secondary" onClick={() => void runs.fetchNextPage()}>
                Older runs
              </Button>
            </div>
          )}
        </div>
        {selected && <RunEntries key={selected} runId={selected} />}
      </div>
    </>
  );
}

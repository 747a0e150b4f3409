"use client";
// The preview (dry run): what the next run would do with each record, before it does it; no Zoho write.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ENTITY_NAMES } from "../../../_components/entities";
import {
  ReportCsvLink,
  ReportStatus,
  reportActive,
  useLatestReports,
  type ReportView,
} from "../../../_components/report-status";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, EmptyState, Field, Notice, PageHeader, Select, Table } from "../../../_components/ui";
import { useTenant } from "../tenant-context";

const ENTITIES = ["customer", "invoice", "credit_note", "payment"] as const;
const ACTIONS = ["create", "update", "unchanged", "skip", "fail", "held"] as const;
type Action = (typeof ACTIONS)[number];
const ACTION_TONE = {
  create: "emerald",
  update: "indigo",
  unchanged: "slate",
  skip: "slate",
  fail: "red",
  held: "amber",
} as const;
const ACTION_WORD: Record<Action, string> = {
  create: "would create",
  update: "would update",
  unchanged: "unchanged",
  skip: "would skip",
  fail: "would fail",
  held: "would hold",
};

type Counts = Record<string, Partial<Record<Action, number>>>;

function Summary({ report }: { report: ReportView }) {
  const summary = report.summary as { entities: string[]; counts: Counts } | null;
  if (!summary) return null;
  const total = (action: Action) =>
    Object.values(summary.counts).reduce((sum, counts) => sum + (counts[action] ?? 0), 0);
  return (
    <Table head={["", ...ACTIONS.map((action) => ACTION_WORD[action])]}>
      {summary.entities.map((entity) => (
        <tr key={entity} data-testid={`preview-counts-${entity}`}>
          <th scope="row" className="px-4 py-2 text-left font-medium">
            {ENTITY_NAMES[entity as keyof typeof ENTITY_NAMES].title}
          </th>
          {ACTIONS.map((action) => (
            <td key={action} className="px-4 py-2 tabular-nums" data-action={action}>
              {summary.counts[entity]?.[action] ?? 0}
            </td>
          ))}
        </tr>
      ))}
      <tr data-testid="preview-counts-total" className="font-semibold">
        <th scope="row" className="px-4 py-2 text-left">
          All
        </th>
        {ACTIONS.map((action) => (
          <td key={action} className="px-4 py-2 tabular-nums" data-action={action}>
            {total(action)}
          </td>
        ))}
      </tr>
    </Table>
  );
}

function Rows({ report }: { report: ReportView }) {
  const trpc = useTRPC();
  const tenant = useTenant();
  const [action, setAction] = useState<Action | "">("");
  const rows = useInfiniteQuery(
    trpc.preview.rows.infiniteQueryOptions(
      { tenantSlug: tenant.slug, reportId: report.id, actions: action ? [action] : undefined, limit: 100 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const lines = rows.data?.pages.flatMap((page) => page.rows) ?? [];
  return (
    <Card title="Records" className="mt-6">
      <div className="mb-4 flex items-end justify-between gap-3">
        <div className="w-48">
          <Field label="What the run would do">
            <Select value={action} onChange={(event) => setAction(event.target.value as Action | "")}>
              <option value="">Anything</option>
              {ACTIONS.map((option) => (
                <option key={option} value={option}>
                  {ACTION_WORD[option]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <ReportCsvLink kind="preview" tenantSlug={tenant.slug} reportId={report.id} />
      </div>
      {lines.length === 0 ? (
        <EmptyState>{rows.isLoading ? "Loading…" : "No record matches."}</EmptyState>
      ) : (
        <Table head={["Record", "Would", "Why / what changes", "Zoho id"]}>
          {lines.map((row) => (
            <tr key={row.id} className="align-top" data-testid="preview-row">
              <td className="px-3 py-2">
                {row.label}
                <span className="block font-mono text-xs text-slate-500">
                  {ENTITY_NAMES[row.entity].noun} · Splynx {row.splynxId}
                  {row.details?.neededBy &&
                    ` · needed first by ${ENTITY_NAMES[row.details.neededBy as "invoice"].plural}`}
                </span>
              </td>
              <td className="px-3 py-2">
                <Badge tone={ACTION_TONE[row.action as Action]}>{ACTION_WORD[row.action as Action]}</Badge>
              </td>
              <td className="max-w-xl px-3 py-2 text-slate-700">{row.message}</td>
              <td className="px-3 py-2 font-mono text-xs text-slate-500">{row.zohoId}</td>
            </tr>
          ))}
        </Table>
      )}
      {rows.hasNextPage && (
        <div className="mt-3">
          <Button variant="secondary" busy={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
            Show more
          </Button>
        </div>
      )}
    </Card>
  );
}

export function PreviewScreen() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const queryClient = useQueryClient();
  const latest = useLatestReports("preview", tenant.slug);
  const [chosen, setChosen] = useState<string[]>([...ENTITIES]);
  const start = useMutation(
    trpc.preview.start.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.preview.latest.queryKey() }),
    }),
  );
  const report = latest.data?.[0];
  const toggle = (entity: string) =>
    setChosen((current) => (current.includes(entity) ? current.filter((one) => one !== entity) : [...current, entity]));
  return (
    <>
      <PageHeader
        title="Preview"
        description="What the next sync would do with each Splynx record (create, update with the fields that change, leave unchanged, skip by a rule, or fail), before it does it. It only reads Zoho: no Zoho record is written."
      />
      {formError(start.error) && (
        <div className="mb-4">
          <Notice>{formError(start.error)}</Notice>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Preview the next run">
          {tenant.can("admin") ? (
            <form
              className="space-y-3"
              onSubmit={(event) => {
                event.preventDefault();
                start.mutate({
                  tenantSlug: tenant.slug,
                  entities: ENTITIES.filter((entity) => chosen.includes(entity)),
                });
              }}
            >
              <fieldset>
                <legend className="mb-1 text-sm font-medium text-slate-700">
                  Entities, in the order a run takes them
                </legend>
                <div className="flex flex-wrap gap-4">
                  {ENTITIES.map((entity) => (
                    <label key={entity} className="flex items-center gap-2 text-sm">
                      <input type="checkbox" checked={chosen.includes(entity)} onChange={() => toggle(entity)} />
                      {ENTITY_NAMES[entity].title}
                    </label>
                  ))}
                </div>
                {fieldError(start.error, "entities") && (
                  <p role="alert" className="mt-1 text-xs text-red-700">
                    {fieldError(start.error, "entities")}
                  </p>
                )}
              </fieldset>
              <Button type="submit" busy={start.isPending || reportActive(report)}>
                Preview
              </Button>
            </form>
          ) : (
            <EmptyState>Admins start previews.</EmptyState>
          )}
        </Card>
        <Card title="Latest preview">
          {report ? (
            <ReportStatus report={report} />
          ) : (
            <EmptyState>No preview yet: start one to see it here.</EmptyState>
          )}
        </Card>
      </div>
      {report?.status === "succeeded" && (
        <>
          <Card title="What the run would do, as it counts" className="mt-6">
            <Summary report={report} />
            <p className="mt-2 text-xs text-slate-500">
              A record another one needs first (an invoice&apos;s customer) counts with the page that needs it, as in
              the run.
            </p>
          </Card>
          <Rows key={report.id} report={report} />
        </>
      )}
    </>
  );
}

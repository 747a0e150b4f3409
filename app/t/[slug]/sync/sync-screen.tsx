"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect } from "react";
import { RunSummary } from "../../../_components/run-summary";
import { formError, useTRPC } from "../../../_components/trpc";
import { Button, Card, EmptyState, Notice, PageHeader } from "../../../_components/ui";
import { useTenant } from "../tenant-context";
import { RunEta } from "./run-eta";
import { StartPanel } from "./start-panel";

export function SyncScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const current = useQuery({
    ...trpc.sync.current.queryOptions({ tenantSlug: tenant.slug }),
    // Live progress while a run is going.
    refetchInterval: (query) =>
      query.state.data && ["queued", "running"].includes(query.state.data.status) ? 1000 : false,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.sync.current.queryKey() });
  const start = useMutation(trpc.sync.start.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.sync.cancel.mutationOptions({ onSuccess: refresh }));
  const run = current.data;
  const active = run && (run.status === "queued" || run.status === "running");
  // Held customers are counted anew as a run goes, and once more when it ends.
  const overview = useQuery({
    ...trpc.sync.overview.queryOptions({ tenantSlug: tenant.slug }),
    refetchInterval: active ? 2000 : false,
  });
  const runStatus = run?.status;
  useEffect(() => {
    if (runStatus) void queryClient.invalidateQueries({ queryKey: trpc.sync.overview.queryKey() });
  }, [runStatus, queryClient, trpc]);
  const held = overview.data?.held ?? 0;
  // The entities this version syncs, from the server: an entity shows here once it has an adapter.
  const entities = overview.data?.entities ?? [];
  return (
    <>
      <PageHeader
        title="Sync"
        description="Send Splynx records to Zoho Books now: one kind, or everything in order (customers first, so each document finds its customer). Unchanged records cost no Zoho calls."
      />
      {formError(start.error ?? cancel.error) && (
        <div className="mb-4">
          <Notice>{formError(start.error ?? cancel.error)}</Notice>
        </div>
      )}
      {held > 0 && (
        <div className="mb-4" data-testid="held-notice">
          <Notice tone="info">
            {held === 1 ? "1 customer needs review before it syncs" : `${held} customers need review before they sync`}:
            Zoho already holds a contact each would duplicate.{" "}
            <Link href={`/t/${tenant.slug}/pairing?state=held`} className="font-medium underline">
              Review them on Pairing
            </Link>
          </Notice>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card title="Start">
          {tenant.can("admin") ? (
            <div className="space-y-3">
              <StartPanel
                tenantSlug={tenant.slug}
                entities={entities}
                blockers={overview.data?.blockers ?? {}}
                busy={Boolean(active) || start.isPending}
                startingEverything={start.isPending && start.variables?.entities.length === entities.length}
                onStart={(request) => start.mutate({ tenantSlug: tenant.slug, ...request })}
              />
              {active && (
                <Button
                  variant="secondary"
                  busy={cancel.isPending || run.cancelRequested}
                  onClick={() => cancel.mutate({ tenantSlug: tenant.slug, runId: run.id })}
                >
                  Cancel
                </Button>
              )}
            </div>
          ) : (
            <EmptyState>Admins start and cancel syncs.</EmptyState>
          )}
        </Card>
        <Card title={active ? "Running" : "Last run"}>
          {run ? (
            <>
              <RunSummary run={run} />
              <div className="mt-2">
                <RunEta run={run} />
              </div>
              {(run.counts.held ?? 0) > 0 && (
                <p className="mt-2 text-sm text-amber-800" data-testid="run-held">
                  {run.counts.held} held for review (not created: Zoho already holds a matching contact).
                </p>
              )}
              <Link
                href={`/t/${tenant.slug}/log?run=${run.id}`}
                className="mt-3 inline-block text-sm text-indigo-700 hover:underline"
              >
                See this run&apos;s entries
              </Link>
            </>
          ) : (
            <EmptyState>No sync has run yet.</EmptyState>
          )}
        </Card>
      </div>
    </>
  );
}

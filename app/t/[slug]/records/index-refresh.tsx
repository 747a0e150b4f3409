"use client";
// Records' reading of Splynx: when its records were last read, the read going now with its progress, and "Refresh from
// Splynx" for admins; the list reloads when a read ends.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { formError, useTRPC } from "../../../_components/trpc";
import { Button, Notice } from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";

const NOUNS = { customer: "customers", invoice: "invoices", credit_note: "credit notes", payment: "payments" } as const;

export function IndexRefresh() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const time = useTime();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.records.refreshStatus.queryOptions({ tenantSlug: tenant.slug }),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 1000 : false),
  });
  const refresh = useMutation(trpc.records.refresh.mutationOptions({ onSuccess: () => void status.refetch() }));
  const current = status.data;
  const running = current?.status === "running";
  // A read that ends while the page is open brings its records into the list.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: trpc.records.list.pathKey() });
    wasRunning.current = running;
  }, [running, queryClient, trpc]);
  const total = current?.total ?? null;
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 px-3 py-2">
      <div className="min-w-0 text-sm text-slate-700" role="status" aria-label="Splynx records">
        {!current && "Splynx's records have not been read yet: refresh to list every record before the first sync."}
        {running && (
          <>
            Reading {current.entity ? NOUNS[current.entity] : "records"} from Splynx
            {total !== null && `: ${current.done.toLocaleString("en")} of ${total.toLocaleString("en")}`}…
            <progress
              className="ml-2 h-2 w-40 align-middle"
              max={total ?? undefined}
              value={total ? current.done : undefined}
            />
          </>
        )}
        {current?.status === "succeeded" && current.finishedAt && `Splynx's records read ${time(current.finishedAt)}.`}
        {current?.status === "failed" && (
          <span className="text-red-700">The last read of Splynx failed: {current.error}</span>
        )}
      </div>
      {tenant.can("admin") && (
        <Button
          variant="secondary"
          busy={refresh.isPending || running}
          disabled={running}
          onClick={() => refresh.mutate({ tenantSlug: tenant.slug })}
        >
          Refresh from Splynx
        </Button>
      )}
      {formError(refresh.error) && <Notice>{formError(refresh.error)}</Notice>}
    </div>
  );
}

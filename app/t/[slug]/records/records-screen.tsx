"use client";
import { skipToken, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { LINK_STATES, type LinkState } from "@/db/schema";
import { formError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, EmptyState, Field, formatDateTime, Input, Notice, PageHeader, Select, Table } from "../../../_components/ui";
import { useTenant } from "../tenant-context";

const ended = (run: { status: string } | undefined) => Boolean(run && !["queued", "running"].includes(run.status));
const stateTone = { synced: "emerald", failed: "red", skipped: "slate", pending: "amber", held: "amber" } as const;

export function RecordsScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const tenant = useTenant();
  const [state, setState] = useState<LinkState | "">("");
  const [text, setText] = useState("");
  const records = useInfiniteQuery(trpc.sync.records.infiniteQueryOptions({ tenantSlug: tenant.slug, state: state || undefined, text: text || undefined, limit: 50 }, { getNextPageParam: (page) => page.nextCursor }));
  const retry = useMutation(trpc.sync.start.mutationOptions({ onSuccess: () => router.push(`/t/${tenant.slug}/sync`) }));
  const retryOne = useMutation(trpc.sync.retryOne.mutationOptions());
  // The retry is a run of its own: follow it, and refresh the list when it ends.
  const retryRun = useQuery({
    ...trpc.sync.run.queryOptions(retryOne.data ? { tenantSlug: tenant.slug, runId: retryOne.data.runId } : skipToken),
    refetchInterval: (query) => (ended(query.state.data) ? false : 1000),
  });
  const retryEnded = ended(retryRun.data);
  useEffect(() => {
    if (retryEnded) void records.refetch();
  }, [retryEnded, records.refetch]);
  const first = records.data?.pages[0];
  const rows = records.data?.pages.flatMap((page) => page.links) ?? [];
  return (
    <>
      <PageHeader
        title="Records · Customers"
        description="Every Splynx customer a sync has handled, with its Zoho contact (the Accounting ID) and its state."
        actions={
          tenant.can("admin") &&
          (first?.failed ?? 0) > 0 && (
            <Button variant="secondary" busy={retry.isPending} onClick={() => retry.mutate({ tenantSlug: tenant.slug, entities: ["customer"], retry: true })}>
              Retry all failed ({first!.failed})
            </Button>
          )
        }
      />
      {formError(retry.error ?? retryOne.error) && <Notice>{formError(retry.error ?? retryOne.error)}</Notice>}
      {retryOne.data && !retryEnded && (
        <Notice tone="info">
          Retry started for Splynx customer {retryOne.variables.splynxId}; this list refreshes when it ends.
        </Notice>
      )}
      {retryRun.data?.status === "failed" && <Notice>The retry failed: {retryRun.data.error}</Notice>}
      <div className="mb-4 grid gap-3 md:grid-cols-3">
        <Field label="State">
          <Select value={state} onChange={(event) => setState(event.target.value as LinkState | "")}>
            <option value="">Any state</option>
            {LINK_STATES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </Select>
        </Field>
        <Field label="Search" hint="Name, Splynx id or Zoho id">
          <Input value={text} onChange={(event) => setText(event.target.value)} />
        </Field>
      </div>
      {rows.length === 0 ? (
        <EmptyState>{records.isLoading ? "Loading…" : "No records match. Run a sync to fill this list."}</EmptyState>
      ) : (
        <Table head={["Splynx", "Customer", "State", "Zoho contact", "Last sync", "Message", ""]}>
          {rows.map((link) => (
            <tr key={link.splynxId}>
              <td className="px-4 py-2 font-mono text-xs">{link.splynxId}</td>
              <td className="px-4 py-2">
                {link.label}
                {link.manual && <Badge>paired</Badge>}
              </td>
              <td className="px-4 py-2">
                <Badge tone={stateTone[link.state]}>{link.state}</Badge>
              </td>
              <td className="px-4 py-2 font-mono text-xs">
                {link.zohoId && first?.zohoLinkPrefix ? (
                  <a href={`${first.zohoLinkPrefix}${link.zohoId}`} target="_blank" rel="noreferrer" className="text-indigo-700 hover:underline">
                    {link.zohoId}
                  </a>
                ) : (
                  link.zohoId
                )}
              </td>
              <td className="px-4 py-2 text-slate-600">{link.syncedAt ? formatDateTime(link.syncedAt) : ""}</td>
              <td className="max-w-md px-4 py-2 text-slate-600">{link.message}</td>
              <td className="px-4 py-2 text-right">
                {tenant.can("admin") && link.state === "failed" && (
                  <Button variant="secondary" busy={retryOne.isPending && retryOne.variables?.splynxId === link.splynxId} onClick={() => retryOne.mutate({ tenantSlug: tenant.slug, splynxId: link.splynxId })}>
                    Retry
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {records.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" busy={records.isFetchingNextPage} onClick={() => void records.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </>
  );
}

"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../../../_components/trpc";
import { Button, EmptyState, Field, Input, Notice, PageHeader, Select } from "../../../_components/ui";
import { useTenant } from "../tenant-context";
import { AuditTable } from "./audit-table";

type Filters = { actorId: string; action: string; from: string; to: string };

// Date inputs give local calendar days; the range covers the whole of the "to" day.
const startOfDay = (day: string) => (day ? new Date(`${day}T00:00:00`) : undefined);
const endOfDay = (day: string) => (day ? new Date(`${day}T23:59:59.999`) : undefined);

export function AuditScreen() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const [filters, setFilters] = useState<Filters>({ actorId: "", action: "", from: "", to: "" });
  const allowed = tenant.can("admin");
  const options = useQuery({ ...trpc.audit.filterOptions.queryOptions({ tenantSlug: tenant.slug }), enabled: allowed });
  const entries = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      {
        tenantSlug: tenant.slug,
        actorId: filters.actorId || undefined,
        action: filters.action || undefined,
        from: startOfDay(filters.from),
        to: endOfDay(filters.to),
        limit: 50,
      },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    enabled: allowed,
  });
  const set = (key: keyof Filters) => (event: { target: { value: string } }) =>
    setFilters((current) => ({ ...current, [key]: event.target.value }));

  if (!allowed) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Notice>The audit log is for owners and admins; you are a {tenant.role}.</Notice>
      </>
    );
  }
  const rows = entries.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Secrets never appear here." />
      <div className="mb-4 grid gap-3 md:grid-cols-4">
        <Field label="Who">
          <Select value={filters.actorId} onChange={set("actorId")}>
            <option value="">Anyone</option>
            {options.data?.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.email}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Action">
          <Select value={filters.action} onChange={set("action")}>
            <option value="">Any action</option>
            {options.data?.actions.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <Input type="date" value={filters.from} onChange={set("from")} />
        </Field>
        <Field label="To">
          <Input type="date" value={filters.to} onChange={set("to")} />
        </Field>
      </div>
      {entries.error && <Notice>{entries.error.message}</Notice>}
      {rows.length > 0 ? (
        <AuditTable entries={rows} />
      ) : (
        <EmptyState>{entries.isLoading ? "Loading…" : "No entries match these filters."}</EmptyState>
      )}
      {entries.hasNextPage && (
        <div className="mt-4 text-center">
          <Button variant="secondary" busy={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
            Load older entries
          </Button>
        </div>
      )}
    </>
  );
}

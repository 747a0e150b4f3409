"use client";
import { skipToken, useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { LINK_STATES, type SyncEntity } from "@/db/schema";
import { ENTITY_NAMES, isSyncEntity } from "../../../_components/entities";
import { formError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, EmptyState, Field, Input, Notice, PageHeader, Select, Table } from "../../../_components/ui";
import { ExplainedMessage } from "../../../_components/explained-message";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";
import { IndexRefresh } from "./index-refresh";
import { PaymentRows } from "./payment-rows";
import { amount, cell, StateBadge, stateName, ZohoLink, type RecordRow, type RecordState } from "./record-cells";

/** The states a person filters by; "unsynced" first: the records no run has handled yet. */
const STATES: RecordState[] = ["unsynced", ...LINK_STATES];

const ended = (run: { status: string } | undefined) => Boolean(run && !["queued", "running"].includes(run.status));

/** Splynx's status of the record and when Splynx last changed it, as the index last read them. */
function SplynxFacts({ row }: { row: RecordRow }) {
  if (!row.splynxStatus) return null;
  const changed = row.changedAt ? `Changed in Splynx ${row.changedAt}` : undefined;
  return (
    <span className="block text-xs text-slate-500" title={changed}>
      {row.splynxStatus} in Splynx
    </span>
  );
}

function CustomerRows({
  rows,
  prefix,
  retryOne,
}: {
  rows: RecordRow[];
  prefix: string | null | undefined;
  retryOne: { start: (splynxId: string) => void; busyFor: string | null } | null;
}) {
  const time = useTime();
  return (
    <Table head={["Splynx", "Customer", "State", "Zoho contact", "Last sync", "Message", ""]}>
      {rows.map((link) => (
        <tr key={link.splynxId}>
          <td className={`${cell} font-mono text-xs`}>{link.splynxId}</td>
          <td className={cell}>
            {link.label}
            <SplynxFacts row={link} />
            {link.manual && <Badge>paired</Badge>}
          </td>
          <td className={cell}>
            <StateBadge state={link.state} removed={Boolean(link.removedAt)} />
          </td>
          <td className={cell}>
            {link.zohoContactName && <span className="block">{link.zohoContactName}</span>}
            <span className="font-mono text-xs">
              <ZohoLink link={link} prefix={prefix} />
            </span>
          </td>
          <td className={`${cell} text-slate-600`}>{link.syncedAt ? time(link.syncedAt) : ""}</td>
          <td className={`${cell} max-w-md text-slate-600`}>
            <ExplainedMessage message={link.message} />
          </td>
          <td className={`${cell} text-right`}>
            {retryOne && link.state === "failed" && (
              <Button
                variant="secondary"
                busy={retryOne.busyFor === link.splynxId}
                onClick={() => retryOne.start(link.splynxId)}
              >
                Retry
              </Button>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** Invoices and credit notes: both totals side by side, a difference marked, Zoho's status. */
function DocumentRows({ rows, prefix, noun }: { rows: RecordRow[]; prefix: string | null | undefined; noun: string }) {
  const time = useTime();
  return (
    <Table
      head={[
        "Number",
        "Customer",
        "Date",
        "Splynx total",
        "Zoho total",
        "Zoho status",
        "State",
        "Zoho",
        "Last sync",
        "Message",
      ]}
    >
      {rows.map((link) => {
        const details = link.details ?? {};
        const number = details.number ?? link.label ?? link.splynxId;
        return (
          <tr key={link.splynxId} data-testid="document-row">
            <td className={`${cell} whitespace-nowrap font-mono text-xs`}>{number}</td>
            <td className={cell}>
              {link.customerName ?? (details.customerId ? `Customer ${details.customerId}` : "")}
              {details.customerId && (
                <span className="block font-mono text-xs text-slate-500">{details.customerId}</span>
              )}
            </td>
            <td className={`${cell} whitespace-nowrap`}>
              {details.date}
              <SplynxFacts row={link} />
            </td>
            <td className={`${cell} text-right tabular-nums`} data-testid="splynx-total">
              {amount(details.splynxTotal)}
            </td>
            <td
              className={`${cell} text-right tabular-nums ${link.mismatch ? "font-semibold text-red-700" : ""}`}
              data-testid="zoho-total"
            >
              {amount(details.zohoTotal)}
              {link.mismatch && <span className="block text-xs font-normal">differs from Splynx</span>}
            </td>
            <td className={cell}>{details.zohoStatus}</td>
            <td className={cell}>
              <StateBadge state={link.state} removed={Boolean(link.removedAt)} />
            </td>
            <td className={`${cell} font-mono text-xs`}>
              <ZohoLink link={link} prefix={prefix} name={`Open ${noun} ${number} in Zoho Books`} />
            </td>
            <td className={`${cell} text-slate-600`}>{link.syncedAt ? time(link.syncedAt) : ""}</td>
            <td className={`${cell} min-w-48 break-words text-slate-600`}>
              <ExplainedMessage message={link.message} />
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

const NOUN: Record<SyncEntity, string> = {
  customer: "customer",
  invoice: "invoice",
  credit_note: "credit note",
  payment: "payment",
  payment_import: "imported payment",
};

function EntityRecords({ entity, initialState }: { entity: SyncEntity; initialState: RecordState | "" }) {
  const trpc = useTRPC();
  const router = useRouter();
  const tenant = useTenant();
  // Every entity but customers is a document of a customer, with a number, a date and a total.
  const document = entity !== "customer";
  const [state, setState] = useState<RecordState | "">(initialState);
  const [text, setText] = useState("");
  const [customer, setCustomer] = useState("");
  const [dateFrom, setDateFrom] = useState("");
  const [dateTo, setDateTo] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const filters = {
    entity,
    state: state || undefined,
    text: text || undefined,
    ...(document
      ? {
          customer: customer || undefined,
          dateFrom: dateFrom || undefined,
          dateTo: dateTo || undefined,
          mismatch: mismatch || undefined,
        }
      : {}),
  };
  const records = useInfiniteQuery(
    trpc.records.list.infiniteQueryOptions(
      { tenantSlug: tenant.slug, ...filters, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const retry = useMutation(
    trpc.sync.start.mutationOptions({ onSuccess: () => router.push(`/t/${tenant.slug}/sync`) }),
  );
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
  const rows = records.data?.pages.flatMap((page) => page.records) ?? [];
  const names = ENTITY_NAMES[entity];
  const failed = first?.failed ?? 0;
  // Retrying one record is a run of its own, offered for customers; other entities retry all their failed records.
  const canRetryOne = tenant.can("admin") && entity === "customer";
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600">
          {entity === "payment_import"
            ? "Every Zoho payment an import has handled: the Splynx payment made from it, the amount and its state."
            : document
              ? `Every Splynx ${NOUN[entity]}, synced or not yet: its Zoho record, both ${entity === "payment" ? "amounts" : "totals"} side by side, Zoho's status and its state.`
              : "Every Splynx customer, synced or not yet, with its Zoho contact (the Accounting ID) and its state."}
        </p>
        {tenant.can("admin") && failed > 0 && (
          <Button
            variant="secondary"
            busy={retry.isPending}
            onClick={() => retry.mutate({ tenantSlug: tenant.slug, entities: [entity], retry: true })}
          >
            Retry all failed {names.plural} ({failed})
          </Button>
        )}
      </div>
      {formError(retry.error ?? retryOne.error) && <Notice>{formError(retry.error ?? retryOne.error)}</Notice>}
      {retryOne.data && !retryEnded && (
        <Notice tone="info">
          Retry started for Splynx customer {retryOne.variables.splynxId}; this list refreshes when it ends.
        </Notice>
      )}
      {retryRun.data?.status === "failed" && <Notice>The retry failed: {retryRun.data.error}</Notice>}
      <div className={`mb-4 grid gap-3 ${document ? "md:grid-cols-3 xl:grid-cols-6" : "md:grid-cols-3"}`}>
        <Field label="State">
          <Select value={state} onChange={(event) => setState(event.target.value as RecordState | "")}>
            <option value="">Any state</option>
            {STATES.filter((option) => entity !== "payment_import" || option !== "unsynced").map((option) => (
              <option key={option} value={option}>
                {stateName(option)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Search" hint={document ? "Number, Splynx id or Zoho id" : "Name, Splynx id or Zoho id"}>
          <Input value={text} onChange={(event) => setText(event.target.value)} />
        </Field>
        {document && (
          <>
            <Field label="Customer" hint="Name or Splynx id">
              <Input value={customer} onChange={(event) => setCustomer(event.target.value)} />
            </Field>
            <Field label="From date">
              <Input
                type="date"
                value={dateFrom}
                max={dateTo || undefined}
                onChange={(event) => setDateFrom(event.target.value)}
              />
            </Field>
            <Field label="To date">
              <Input
                type="date"
                value={dateTo}
                min={dateFrom || undefined}
                onChange={(event) => setDateTo(event.target.value)}
              />
            </Field>
            <div className="flex items-end pb-2">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={mismatch} onChange={(event) => setMismatch(event.target.checked)} />
                Only where the {entity === "payment" ? "amounts" : "totals"} differ
              </label>
            </div>
          </>
        )}
      </div>
      {records.error && (
        <Notice>{formError(records.error) ?? "Some filters need attention: dates are YYYY-MM-DD."}</Notice>
      )}
      {rows.length === 0 ? (
        <EmptyState>
          {records.isLoading
            ? "Loading…"
            : entity === "payment_import"
              ? "No records match. Run a payments import to fill this list."
              : `No records match. Refresh from Splynx to list every ${NOUN[entity]} it holds.`}
        </EmptyState>
      ) : entity === "payment" || entity === "payment_import" ? (
        <PaymentRows
          rows={rows}
          prefix={first?.zohoLinkPrefix}
          direction={entity === "payment" ? "export" : "import"}
        />
      ) : document ? (
        <DocumentRows rows={rows} prefix={first?.zohoLinkPrefix} noun={NOUN[entity]} />
      ) : (
        <CustomerRows
          rows={rows}
          prefix={first?.zohoLinkPrefix}
          retryOne={
            canRetryOne
              ? {
                  start: (splynxId) => retryOne.mutate({ tenantSlug: tenant.slug, splynxId }),
                  busyFor: retryOne.isPending ? (retryOne.variables?.splynxId ?? null) : null,
                }
              : null
          }
        />
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

export function RecordsScreen() {
  const trpc = useTRPC();
  const tenant = useTenant();
  const search = useSearchParams();
  const overview = useQuery(trpc.sync.overview.queryOptions({ tenantSlug: tenant.slug }));
  const wanted = search.get("entity");
  const entity: SyncEntity = isSyncEntity(wanted) ? wanted : "customer";
  // The entities this version syncs, from the server; the one asked for is shown even before that answer comes.
  const tabs = overview.data?.entities ?? [entity];
  const initialState = STATES.find((option) => option === search.get("state")) ?? "";
  const base = `/t/${tenant.slug}/records`;
  return (
    <>
      <PageHeader title={`Records · ${ENTITY_NAMES[entity].title}`} />
      <nav aria-label="Record kinds" className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-200">
        {tabs.map((tab) => (
          <Link
            key={tab}
            href={`${base}?entity=${tab}`}
            aria-current={tab === entity ? "page" : undefined}
            className={`-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 text-sm ${tab === entity ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {ENTITY_NAMES[tab].title}
            {(overview.data?.failedByEntity[tab] ?? 0) > 0 && (
              <span className="ml-1 text-xs text-red-700">({overview.data!.failedByEntity[tab]} failed)</span>
            )}
          </Link>
        ))}
      </nav>
      {entity !== "payment_import" && <IndexRefresh />}
      <EntityRecords key={`${entity}-${initialState}`} entity={entity} initialState={initialState} />
    </>
  );
}

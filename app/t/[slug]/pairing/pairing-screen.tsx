"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import type { PairingState } from "@/server/sync/pairing";
import { formError, useTRPC } from "../../../_components/trpc";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  Notice,
  PageHeader,
  Select,
  Table,
} from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";

const PAGE_SIZE = 200;

const stateTone = { synced: "emerald", paired: "indigo", held: "amber", not_paired: "slate" } as const;
const stateLabel: Record<PairingState, string> = {
  synced: "synced",
  paired: "paired",
  held: "held for review",
  not_paired: "not paired",
};

function PairPicker({ splynxId, label, onDone }: { splynxId: string; label: string; onDone: () => void }) {
  const trpc = useTRPC();
  const tenant = useTenant();
  const [text, setText] = useState(label);
  const results = useQuery({
    ...trpc.pairing.search.queryOptions({ tenantSlug: tenant.slug, text }),
    enabled: text.trim().length > 0,
  });
  const pair = useMutation(trpc.pairing.pair.mutationOptions({ onSuccess: onDone }));
  return (
    <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3">
      <Field label={`Zoho contact for ${label}`}>
        <Input value={text} onChange={(event) => setText(event.target.value)} placeholder="Name or e-mail" autoFocus />
      </Field>
      {formError(pair.error) && <Notice>{formError(pair.error)}</Notice>}
      <ul className="divide-y divide-indigo-100 text-sm">
        {results.data?.map((contact) => (
          <li key={contact.contactId} className="flex items-center justify-between gap-3 py-1">
            <span>
              {contact.name} <span className="text-xs text-slate-500">{contact.email}</span>
            </span>
            <Button
              variant="secondary"
              busy={pair.isPending}
              onClick={() => pair.mutate({ tenantSlug: tenant.slug, splynxId, contactId: contact.contactId, label })}
            >
              Pair
            </Button>
          </li>
        ))}
        {results.data?.length === 0 && <li className="py-1 text-slate-500">No Zoho customer matches.</li>}
      </ul>
    </div>
  );
}

export function PairingScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const isAdmin = tenant.can("admin");
  const search = useSearchParams();
  const time = useTime();
  const [text, setTextOnly] = useState("");
  const [state, setStateOnly] = useState<PairingState | "">(
    () => (Object.keys(stateLabel) as PairingState[]).find((option) => option === search.get("state")) ?? "",
  );
  const [offset, setOffset] = useState(0);
  // Another search or state starts again from the first page.
  const setText = (value: string) => {
    setTextOnly(value);
    setOffset(0);
  };
  const setState = (value: PairingState | "") => {
    setStateOnly(value);
    setOffset(0);
  };
  const [picking, setPicking] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const refresh = () => {
    setPicking(null);
    void queryClient.invalidateQueries({ queryKey: trpc.pairing.customers.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.pairing.suggestions.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.sync.overview.queryKey() });
  };
  const summary = useQuery(trpc.pairing.summary.queryOptions({ tenantSlug: tenant.slug }));
  const overview = useQuery(trpc.sync.overview.queryOptions({ tenantSlug: tenant.slug }));
  const customers = useQuery(
    trpc.pairing.customers.queryOptions({
      tenantSlug: tenant.slug,
      text: text || undefined,
      state: state || undefined,
      offset,
      limit: PAGE_SIZE,
    }),
  );
  const page = customers.data;
  const suggestions = useQuery({
    ...trpc.pairing.suggestions.queryOptions({ tenantSlug: tenant.slug }),
    enabled: (summary.data?.contacts ?? 0) > 0,
  });
  const load = useMutation(
    trpc.pairing.load.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const pair = useMutation(trpc.pairing.pair.mutationOptions({ onSuccess: refresh }));
  const createNew = useMutation(trpc.pairing.createNew.mutationOptions({ onSuccess: refresh }));
  const unpair = useMutation(trpc.pairing.unpair.mutationOptions({ onSuccess: refresh }));
  const acceptAll = useMutation(
    trpc.pairing.acceptSuggestions.mutationOptions({
      onSuccess: () => {
        setPreviewing(false);
        refresh();
      },
    }),
  );
  const held = overview.data?.held ?? 0;
  const failure = formError(load.error ?? pair.error ?? createNew.error ?? unpair.error ?? acceptAll.error);
  return (
    <>
      <PageHeader
        title="Customer pairing"
        description={
          summary.data?.loadedAt
            ? `${summary.data.contacts} Zoho customers loaded ${time(summary.data.loadedAt)}. A paired customer is never created again in Zoho.`
            : "Load the Zoho customers to pair existing contacts with Splynx customers."
        }
        actions={
          isAdmin && (
            <Button busy={load.isPending} onClick={() => load.mutate({ tenantSlug: tenant.slug })}>
              Load Zoho customers
            </Button>
          )
        }
      />
      {failure && (
        <div className="mb-4">
          <Notice>{failure}</Notice>
        </div>
      )}
      {load.data && (
        <div className="mb-4">
          <Notice tone="success">
            Loaded {load.data.contacts} Zoho customers
            {load.data.contacts === 0 ? ": Zoho holds none yet, so every Splynx customer will be created there." : "."}
          </Notice>
        </div>
      )}
      {acceptAll.data && (
        <div className="mb-4">
          <Notice tone="success">Paired {acceptAll.data.paired} customers.</Notice>
        </div>
      )}
      {held > 0 && state !== "held" && (
        <div className="mb-4">
          <Notice tone="info">
            {held === 1 ? "1 customer is" : `${held} customers are`} held for review: Zoho already holds a contact each
            would duplicate.{" "}
            <button type="button" className="font-medium underline" onClick={() => setState("held")}>
              Show them
            </button>
          </Notice>
        </div>
      )}
      {isAdmin && suggestions.data && suggestions.data.length > 0 && (
        <Card title="Suggestions" className="mb-6">
          <p className="mb-3 text-sm">
            {suggestions.data.length} Splynx customers match a Zoho customer by e-mail or by name.{" "}
            <Button variant="secondary" onClick={() => setPreviewing(!previewing)}>
              {previewing ? "Hide preview" : "Preview"}
            </Button>
          </p>
          {previewing && (
            <>
              <Table head={["Splynx customer", "Zoho customer", "Because"]}>
                {suggestions.data.map((suggestion) => (
                  <tr key={suggestion.splynxId}>
                    <td className="px-4 py-2">{suggestion.customerName}</td>
                    <td className="px-4 py-2">{suggestion.contactName}</td>
                    <td className="px-4 py-2 text-slate-600">
                      {suggestion.held ? `${suggestion.reason}; held by the sync` : suggestion.reason}
                    </td>
                  </tr>
                ))}
              </Table>
              <Button
                className="mt-3"
                busy={acceptAll.isPending}
                onClick={() =>
                  acceptAll.mutate({
                    tenantSlug: tenant.slug,
                    pairs: suggestions.data!.map(({ splynxId, contactId }) => ({ splynxId, contactId })),
                  })
                }
              >
                Accept all {suggestions.data.length} suggestions
              </Button>
            </>
          )}
        </Card>
      )}
      <div className="mb-4 grid gap-3 md:grid-cols-3">
        <Field label="Search customers">
          <Input
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Name, e-mail or Splynx id"
          />
        </Field>
        <Field label="State">
          <Select value={state} onChange={(event) => setState(event.target.value as typeof state)}>
            <option value="">Any</option>
            <option value="synced">Synced (created by Ledgerlink)</option>
            <option value="paired">Paired</option>
            <option value="held">Held for review</option>
            <option value="not_paired">Not paired</option>
          </Select>
        </Field>
      </div>
      {!page ? (
        <EmptyState>{customers.isLoading ? "Loading…" : customers.error?.message}</EmptyState>
      ) : (
        <>
          <PageControls page={page} pageSize={PAGE_SIZE} onOffset={setOffset} />
          <Table
            head={["Splynx", "Customer", "State", "Zoho contact", ""]}
            empty={
              page.rows.length === 0 && (
                <EmptyState>
                  {state === "held"
                    ? "No customer is held for review. Customers a sync finds already in Zoho appear here."
                    : "No customers match. The list shows every Splynx customer with its Zoho contact."}
                </EmptyState>
              )
            }
          >
            {page.rows.map((customer) => (
              <tr key={customer.splynxId} className="align-top">
                <td className="px-4 py-2 font-mono text-xs">{customer.splynxId}</td>
                <td className="px-4 py-2">
                  {customer.name} <span className="text-xs text-slate-500">{customer.email}</span>
                  {customer.note && (
                    <span
                      className={`mt-1 block text-xs ${customer.state === "held" ? "text-amber-800" : "text-slate-600"}`}
                    >
                      {customer.note}
                    </span>
                  )}
                  {picking === customer.splynxId && (
                    <PairPicker splynxId={customer.splynxId} label={customer.name} onDone={refresh} />
                  )}
                </td>
                <td className="px-4 py-2">
                  <Badge tone={stateTone[customer.state]}>{stateLabel[customer.state]}</Badge>
                </td>
                <td className="px-4 py-2">
                  {customer.zohoName && <span className="block">{customer.zohoName}</span>}
                  {customer.zohoId && <span className="font-mono text-xs text-slate-500">{customer.zohoId}</span>}
                  {customer.candidate && (
                    <span className="block" data-testid="held-candidate">
                      <span className="text-xs text-slate-500">Matches </span>
                      {customer.candidate.name}{" "}
                      <span className="text-xs text-slate-500">{customer.candidate.email}</span>
                    </span>
                  )}
                  {isAdmin && customer.state === "held" && (
                    <div className="mt-2 flex flex-wrap gap-2">
                      {customer.candidate && (
                        <Button
                          variant="secondary"
                          busy={pair.isPending && pair.variables.splynxId === customer.splynxId}
                          onClick={() =>
                            pair.mutate({
                              tenantSlug: tenant.slug,
                              splynxId: customer.splynxId,
                              contactId: customer.candidate!.contactId,
                              label: customer.name,
                            })
                          }
                        >
                          Pair with this contact
                        </Button>
                      )}
                      <Button
                        variant="secondary"
                        busy={createNew.isPending && createNew.variables.splynxId === customer.splynxId}
                        onClick={() =>
                          createNew.mutate({
                            tenantSlug: tenant.slug,
                            splynxId: customer.splynxId,
                            label: customer.name,
                          })
                        }
                      >
                        Create new in Zoho
                      </Button>
                    </div>
                  )}
                </td>
                <td className="px-4 py-2 text-right">
                  {isAdmin &&
                    (customer.state === "not_paired" || customer.state === "held") &&
                    (summary.data?.contacts ?? 0) > 0 &&
                    picking !== customer.splynxId && (
                      <Button
                        variant="secondary"
                        className="whitespace-nowrap"
                        onClick={() => setPicking(customer.splynxId)}
                      >
                        {customer.state === "held" ? "Pair with another…" : "Pair…"}
                      </Button>
                    )}
                  {isAdmin && customer.state === "paired" && (
                    <Button
                      variant="secondary"
                      busy={unpair.isPending}
                      onClick={() => unpair.mutate({ tenantSlug: tenant.slug, splynxId: customer.splynxId })}
                    >
                      Unpair
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}

/** "Showing 1–200 of 250" with the pages before and after; the server cuts the page. */
function PageControls({
  page,
  pageSize,
  onOffset,
}: {
  page: { offset: number; rows: unknown[]; matching: number; total: number };
  pageSize: number;
  onOffset: (offset: number) => void;
}) {
  const last = page.offset + page.rows.length;
  return (
    <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600">
      <p data-testid="pairing-page">
        {page.matching === 0
          ? `None of ${page.total} customers match.`
          : `Showing ${page.offset + 1}–${last} of ${page.matching}${page.matching < page.total ? ` matching (${page.total} customers)` : ""}`}
      </p>
      <div className="flex gap-2">
        <Button
          variant="secondary"
          disabled={page.offset === 0}
          onClick={() => onOffset(Math.max(0, page.offset - pageSize))}
        >
          Previous
        </Button>
        <Button variant="secondary" disabled={last >= page.matching} onClick={() => onOffset(page.offset + pageSize)}>
          Next
        </Button>
      </div>
    </div>
  );
}

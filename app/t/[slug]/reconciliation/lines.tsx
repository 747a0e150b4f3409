"use client";
// A reconciliation's lines: every mismatch, and each customer's totals (those that differ first).
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ENTITY_NAMES } from "../../../_components/entities";
import { useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, EmptyState, Field, Select, Table } from "../../../_components/ui";
import { useTenant } from "../tenant-context";
import { MISMATCH_WORDS, type MismatchKind } from "./summary";

const MISMATCHES = Object.keys(MISMATCH_WORDS) as MismatchKind[];
const TOTALS = ["invoice", "credit_note", "payment"] as const;

function useRows(reportId: string, actions: string[]) {
  const trpc = useTRPC();
  const tenant = useTenant();
  return useInfiniteQuery(
    trpc.reconciliation.rows.infiniteQueryOptions(
      { tenantSlug: tenant.slug, reportId, actions: actions as MismatchKind[], limit: 100 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
}

function MoreButton({ rows }: { rows: ReturnType<typeof useRows> }) {
  if (!rows.hasNextPage) return null;
  return (
    <div className="mt-3">
      <Button variant="secondary" busy={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
        Show more
      </Button>
    </div>
  );
}

export function Mismatches({ reportId }: { reportId: string }) {
  const [kind, setKind] = useState<MismatchKind | "">("");
  const rows = useRows(reportId, kind ? [kind] : MISMATCHES);
  const lines = rows.data?.pages.flatMap((page) => page.rows) ?? [];
  return (
    <Card title="Mismatches" className="mt-6">
      <div className="mb-4 w-56">
        <Field label="Kind">
          <Select value={kind} onChange={(event) => setKind(event.target.value as MismatchKind | "")}>
            <option value="">Every kind</option>
            {MISMATCHES.map((option) => (
              <option key={option} value={option}>
                {MISMATCH_WORDS[option]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {lines.length === 0 ? (
        <EmptyState>{rows.isLoading ? "Loading…" : "No mismatch: both sides agree."}</EmptyState>
      ) : (
        <Table head={["Kind", "Document", "Customer", "Splynx", "Zoho", "What"]}>
          {lines.map((row) => (
            <tr key={row.id} className="align-top" data-testid="mismatch-row">
              <td className="px-3 py-2">
                <Badge tone={row.action === "status_differs" ? "amber" : "red"}>
                  {MISMATCH_WORDS[row.action as MismatchKind]}
                </Badge>
              </td>
              <td className="px-3 py-2">
                {row.label}
                <span className="block text-xs text-slate-500">
                  {ENTITY_NAMES[row.entity].noun} · {row.details?.date}
                </span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{row.customerId}</td>
              <td className="px-3 py-2 tabular-nums">
                {row.details?.splynxTotal}{" "}
                <span className="block text-xs text-slate-500">{row.details?.splynxStatus}</span>
                {row.splynxId && <span className="block font-mono text-xs text-slate-500">Splynx {row.splynxId}</span>}
              </td>
              <td className="px-3 py-2 tabular-nums">
                {row.details?.zohoTotal} <span className="block text-xs text-slate-500">{row.details?.zohoStatus}</span>
                {row.zohoId && <span className="block font-mono text-xs text-slate-500">Zoho {row.zohoId}</span>}
              </td>
              <td className="max-w-md px-3 py-2 text-slate-700">{row.message}</td>
            </tr>
          ))}
        </Table>
      )}
      <MoreButton rows={rows} />
    </Card>
  );
}

export function CustomerTotals({ reportId }: { reportId: string }) {
  const [all, setAll] = useState(false);
  const rows = useRows(reportId, all ? ["customer_differs", "customer_matches"] : ["customer_differs"]);
  const lines = rows.data?.pages.flatMap((page) => page.rows) ?? [];
  return (
    <Card title="Per customer" className="mt-6">
      <label className="mb-4 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={all} onChange={(event) => setAll(event.target.checked)} />
        Show customers whose totals agree too
      </label>
      {lines.length === 0 ? (
        <EmptyState>{rows.isLoading ? "Loading…" : "Every customer's totals agree."}</EmptyState>
      ) : (
        <Table head={["Customer", ...TOTALS.map((entity) => `${ENTITY_NAMES[entity].title}: Splynx / Zoho`)]}>
          {lines.map((row) => (
            <tr key={row.id} data-testid="customer-row">
              <td className="px-3 py-2">
                {row.label}
                <span className="block font-mono text-xs text-slate-500">{row.customerId}</span>
              </td>
              {TOTALS.map((entity) => {
                const [splynx, zoho] = [row.details?.[`${entity}Splynx`], row.details?.[`${entity}Zoho`]];
                return (
                  <td
                    key={entity}
                    className={`px-3 py-2 tabular-nums ${Number(splynx) !== Number(zoho) ? "font-semibold text-red-700" : ""}`}
                  >
                    {splynx} / {zoho}
                  </td>
                );
              })}
            </tr>
          ))}
        </Table>
      )}
      <MoreButton rows={rows} />
    </Card>
  );
}

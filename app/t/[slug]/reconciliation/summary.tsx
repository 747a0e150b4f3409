"use client";
// A reconciliation's figures: mismatches by kind, and Splynx against Zoho per period and entity.
import type { ReconciliationSummary } from "@/server/reconciliation/reconcile";
import { ENTITY_NAMES } from "../../../_components/entities";
import { Table } from "../../../_components/ui";

export const MISMATCH_WORDS = {
  missing_in_zoho: "Missing in Zoho",
  missing_in_splynx: "Missing in Splynx",
  total_differs: "Totals differ",
  status_differs: "Status differs",
  not_linked: "In Zoho, no link",
} as const;
export type MismatchKind = keyof typeof MISMATCH_WORDS;

const difference = (splynx: string, zoho: string) => (Number(zoho) - Number(splynx)).toFixed(2);

export function MismatchCounts({ summary }: { summary: ReconciliationSummary }) {
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
      {(Object.keys(MISMATCH_WORDS) as MismatchKind[]).map((kind) => (
        <div key={kind} className="rounded-md border border-slate-200 p-3" data-testid={`mismatch-${kind}`}>
          <dt className="text-xs text-slate-500">{MISMATCH_WORDS[kind]}</dt>
          <dd className={`text-lg font-semibold ${summary.mismatches[kind] ? "text-red-700" : "text-slate-900"}`}>
            {summary.mismatches[kind]}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function PeriodTotals({ summary }: { summary: ReconciliationSummary }) {
  return (
    <Table head={["Period", "Entity", "Splynx", "Zoho", "Zoho − Splynx"]}>
      {summary.periods.map((line) => {
        const gap = difference(line.splynx, line.zoho);
        return (
          <tr key={`${line.period}-${line.entity}`} data-testid="period-line">
            <td className="px-4 py-2">{line.period}</td>
            <td className="px-4 py-2">{ENTITY_NAMES[line.entity].title}</td>
            <td className="px-4 py-2 tabular-nums">
              {line.splynx} <span className="text-xs text-slate-500">({line.splynxCount})</span>
            </td>
            <td className="px-4 py-2 tabular-nums">
              {line.zoho} <span className="text-xs text-slate-500">({line.zohoCount})</span>
            </td>
            <td className={`px-4 py-2 tabular-nums ${Number(gap) !== 0 ? "font-semibold text-red-700" : ""}`}>{gap}</td>
          </tr>
        );
      })}
    </Table>
  );
}

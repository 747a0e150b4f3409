"use client";
// The dashboard's line on reconciliation: the mismatches the latest report found, with a link to them.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../../_components/trpc";
import { Card, EmptyState } from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";

export function ReconciliationCard({ tenantSlug }: { tenantSlug: string }) {
  const trpc = useTRPC();
  const time = useTime();
  const latest = useQuery(trpc.reconciliation.mismatches.queryOptions({ tenantSlug }));
  const href = `/t/${tenantSlug}/reconciliation`;
  return (
    <Card title="Reconciliation">
      {latest.data ? (
        <p className="text-sm" data-testid="dashboard-mismatches">
          <Link href={href} className="font-medium text-indigo-700 hover:underline">
            {latest.data.total === 1 ? "1 mismatch" : `${latest.data.total} mismatches`}
          </Link>{" "}
          between Splynx and Zoho
          {latest.data.finishedAt && (
            <span className="block text-xs text-slate-500">as of {time(latest.data.finishedAt)}</span>
          )}
        </p>
      ) : (
        <EmptyState>
          No reconciliation yet. <Link href={href}>Reconcile now</Link>
        </EmptyState>
      )}
    </Card>
  );
}

"use client";
// What every Records table shows the same way: amounts, the state, the link into Zoho Books.
import type { LinkState } from "@/db/schema";
import type { RouterOutputs } from "../../../_components/trpc";
import { Badge } from "../../../_components/ui";

export type RecordRow = RouterOutputs["sync"]["records"]["links"][number];

const stateTone = { synced: "emerald", failed: "red", skipped: "slate", pending: "amber", held: "amber" } as const;
export const cell = "px-3 py-2";

/** A decimal string with at least two places, never rounded, so a difference in a third place stays visible. */
export function amount(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  const match = /^(-?\d+)(?:\.(\d*))?$/.exec(text);
  return match ? `${match[1]}.${(match[2] ?? "").padEnd(2, "0")}` : text;
}

export function ZohoLink({
  link,
  prefix,
  name,
}: {
  link: RecordRow;
  prefix: string | null | undefined;
  name?: string;
}) {
  if (!link.zohoId) return null;
  if (!prefix) return <>{link.zohoId}</>;
  return (
    <a
      href={`${prefix}${link.zohoId}`}
      target="_blank"
      rel="noreferrer"
      aria-label={name}
      className="text-indigo-700 hover:underline"
    >
      {link.zohoId}
    </a>
  );
}

export function StateBadge({ state }: { state: LinkState }) {
  return <Badge tone={stateTone[state]}>{state}</Badge>;
}

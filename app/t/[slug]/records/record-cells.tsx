"use client";
// What every Records table shows the same way: amounts, the state, the link into Zoho Books.
import type { RouterOutputs } from "../../../_components/trpc";
import { Badge } from "../../../_components/ui";

export type RecordRow = RouterOutputs["records"]["list"]["records"][number];
export type RecordState = RecordRow["state"];

const stateTone = {
  synced: "emerald",
  failed: "red",
  skipped: "slate",
  pending: "amber",
  held: "amber",
  unsynced: "indigo",
} as const;
/** How a state reads in the list and its filter: a record no run has handled yet is "not synced yet". */
export const stateName = (state: RecordState) => (state === "unsynced" ? "not synced yet" : state);
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

/** The record's state; one Splynx no longer has is marked so, whatever its state. */
export function StateBadge({ state, removed }: { state: RecordState; removed?: boolean }) {
  return (
    <>
      <Badge tone={stateTone[state]}>{stateName(state)}</Badge>
      {removed && <Badge tone="red">removed from Splynx</Badge>}
    </>
  );
}

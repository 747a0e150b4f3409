"use client";
// Audit entries as a table; changes are shown as "field: before → after", times in the tenant's zone.
import { Table } from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";

export type AuditRow = {
  id: number;
  createdAt: Date;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
};

function describeDetails(details: Record<string, unknown> | null): string {
  if (!details) return "";
  return Object.entries(details)
    .map(([key, value]) => {
      if (value && typeof value === "object" && "before" in value && "after" in value) {
        const change = value as { before: unknown; after: unknown };
        // A value set for the first time reads as "Internet 100 → Zoho item Internet 100 Mbps".
        const before = change.before === null || change.before === "" ? "" : `: ${String(change.before)}`;
        return `${key}${before} → ${String(change.after)}`;
      }
      return `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`;
    })
    .join("; ");
}

export function AuditTable({ entries }: { entries: AuditRow[] }) {
  const time = useTime();
  return (
    <Table head={["When", "Who", "Action", "Target", "Details"]}>
      {entries.map((entry) => (
        <tr key={entry.id}>
          <td className="px-3 py-2 text-slate-600">{time(entry.createdAt)}</td>
          <td className="px-4 py-2">{entry.actorEmail ?? "system"}</td>
          <td className="px-4 py-2 font-mono text-xs">{entry.action}</td>
          <td className="px-4 py-2">{entry.target}</td>
          <td className="px-4 py-2 text-slate-600">{describeDetails(entry.details)}</td>
        </tr>
      ))}
    </Table>
  );
}

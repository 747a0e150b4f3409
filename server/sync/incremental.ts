// Scheduled runs read only what Splynx changed since their last complete read, and everything once a day (SPEC §7):
// an unchanged book costs a few requests, not a full listing; the daily full read catches what a change filter misses
// (records removed outright, changes that did not touch the change column).
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import { cursorsOf, saveCursor } from "@/db/queries/cursors";
import { listMappings } from "@/db/queries/mapping";
import { getSettingsRow } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import type { RunTrigger, SyncEntity } from "@/db/schema";
import type { Condition } from "@/server/splynx/query";
import type { ChangeColumn } from "./entity";
import { readSettings } from "./settings";

const FULL_READ_EVERY_MS = 24 * 60 * 60_000;
/** Splynx's change columns hold the server's local time, or only a date: a day's overlap covers any time zone. */
const OVERLAP_MS = 24 * 60 * 60_000;

/** Per entity, the instant a run reads changes from (ISO); an entity not named is read in full. */
export type ReadPlan = Partial<Record<SyncEntity, string>>;

/**
 * What a read is made under: the organization, the settings and the mappings. Records Splynx did not change still
 * change in Zoho when any of these does, so another basis means a full read.
 */
export async function readBasis(db: Db, tenantId: string): Promise<string> {
  const [zoho, settings, mappings] = await Promise.all([
    getZohoConnection(db, { tenantId }),
    getSettingsRow(db, tenantId),
    listMappings(db, { tenantId }),
  ]);
  const rows = mappings.map((row) => [row.kind, row.splynxId, row.zohoValue].join("\u0000")).sort();
  // When runs are scheduled changes nothing they write.
  const { schedule: _schedule, ...writing } = readSettings(settings);
  const basis = JSON.stringify([zoho?.organizationId ?? null, writing, rows]);
  return createHash("sha256").update(basis).digest("base64url");
}

/** Scheduled runs read changes where a full read under the same basis is less than a day old. */
export async function planReads(
  db: Db,
  input: { tenantId: string; trigger: RunTrigger; basis: string; now: Date },
): Promise<ReadPlan> {
  if (input.trigger !== "schedule" && input.trigger !== "resume") return {};
  const plan: ReadPlan = {};
  for (const cursor of await cursorsOf(db, input.tenantId)) {
    const fresh = input.now.getTime() - cursor.fullReadAt.getTime() < FULL_READ_EVERY_MS;
    if (fresh && cursor.basis === input.basis)
      plan[cursor.entity] = new Date(cursor.readFrom.getTime() - OVERLAP_MS).toISOString();
  }
  return plan;
}

/** After the entity's last page: the next scheduled read starts where this one began. */
export const completeRead = (
  db: Db,
  input: { tenantId: string; entity: SyncEntity; readFrom: Date; incremental: boolean; basis: string },
) => saveCursor(db, { ...input, full: !input.incremental });

/** The Splynx filter for records changed since the instant, in the column's own format. */
export function changedSince(column: ChangeColumn, since: string): Record<string, Condition> {
  const utc = since.replace("T", " ").slice(0, 19);
  return { [column.name]: [">=", column.precision === "date" ? utc.slice(0, 10) : utc] };
}

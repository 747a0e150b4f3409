// A tenant's runs per UTC day, with the records they created, updated and failed: the usage page's run chart.
import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { syncRuns } from "../schema";

export type RunDay = { day: string; runs: number; created: number; updated: number; failed: number };

const counted = (field: "created" | "updated" | "failed") =>
  sql<number>`coalesce(sum((${syncRuns.counts}->>${field})::int), 0)::int`;

/** Days with at least one run created on or after `since`'s UTC day, oldest first. */
export async function runsPerDay(db: Db, input: { tenantId: string; since: Date }): Promise<RunDay[]> {
  const day = sql<string>`to_char(${syncRuns.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const sinceDay = new Date(`${input.since.toISOString().slice(0, 10)}T00:00:00Z`);
  return db
    .select({
      day,
      runs: sql<number>`count(*)::int`,
      created: counted("created"),
      updated: counted("updated"),
      failed: counted("failed"),
    })
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, input.tenantId), gte(syncRuns.createdAt, sinceDay)))
    .groupBy(day)
    .orderBy(asc(day));
}

// Zoho calls per organization and UTC day, as the limiter counted them when it granted each call.
import { and, asc, eq, gte } from "drizzle-orm";
import type { Db } from "../client";
import { zohoDailyUsage } from "../schema";

const utcDay = (time: Date) => time.toISOString().slice(0, 10);

/** Days with at least one call from `since`'s UTC day on, oldest first; a day without calls has no row. */
export async function callsPerDay(
  db: Db,
  { organizationId, since }: { organizationId: string; since: Date },
): Promise<{ day: string; calls: number }[]> {
  return db
    .select({ day: zohoDailyUsage.day, calls: zohoDailyUsage.calls })
    .from(zohoDailyUsage)
    .where(and(eq(zohoDailyUsage.organizationId, organizationId), gte(zohoDailyUsage.day, utcDay(since))))
    .orderBy(asc(zohoDailyUsage.day));
}

// A running sync's ETA from its progress and its Zoho organization's limits: the per-minute limit and today's quota.
import type { Db } from "@/db/client";
import { getSettingsRow } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import { zohoUsage } from "@/db/queries/zoho-limits";
import { env } from "@/server/env";
import { SANDBOX_REGION } from "@/server/zoho/connection";
import { ZOHO_LIMITS } from "@/server/zoho/limiter";
import { estimateRemaining, type Eta } from "./eta";
import { readSettings } from "./settings";

type RunProgress = { progress: { done: number; total: number | null }; zohoCalls: number };

export async function runEta(db: Db, input: { tenantId: string; run: RunProgress }): Promise<Eta | null> {
  const zoho = await getZohoConnection(db, { tenantId: input.tenantId });
  if (!zoho?.organizationId) return null;
  const [usage, stored] = await Promise.all([zohoUsage(db, zoho.organizationId), getSettingsRow(db, input.tenantId)]);
  // Past Zoho's reset the whole quota is there again, whatever was last reported.
  const reset = usage.resetsAt !== null && usage.resetsAt.getTime() <= Date.now();
  return estimateRemaining({
    done: input.run.progress.done,
    total: input.run.progress.total,
    zohoCalls: input.run.zohoCalls,
    perMinute: ZOHO_LIMITS.perWindow,
    minuteMs: zoho.region === SANDBOX_REGION ? env().sandboxMinuteMs : ZOHO_LIMITS.windowMs,
    dailyLimit: usage.dailyLimit,
    dailyRemaining: reset ? usage.dailyLimit : usage.dailyRemaining,
    reservePercent: readSettings(stored).general.quotaReservePercent,
  });
}

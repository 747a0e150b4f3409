// Running syncs and reading their results: start, progress, cancel, the sync log, and the records with their state.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { activeRun, getRun, lastRun, listRuns, requestCancel } from "@/db/queries/runs";
import { countLinks, getSettingsRow, listEntries, listLinks } from "@/db/queries/sync";
import { nextScheduledRun } from "@/server/sync/schedule";
import { readSettings } from "@/server/sync/settings";
import { getZohoConnection } from "@/db/queries/zoho";
import { countHeldCustomers } from "@/db/queries/pairing";
import { LINK_STATES } from "@/db/schema";
import { DomainError } from "@/server/errors";
import { requestSync } from "@/server/jobs/dispatcher";
import { SANDBOX_REGION } from "@/server/zoho/connection";
import { zohoRecordUrl, type ZohoRegion } from "@/server/zoho/regions";
import { router, tenantProcedure } from "../init";

export const syncRouter = router({
  /** For the dashboard and the Sync page: the last run, the failed and held records, the next scheduled run. */
  overview: tenantProcedure("viewer").query(async ({ ctx }) => {
    const [run, failed, stored, zoho] = await Promise.all([lastRun(ctx.db, ctx.tenant.id), countLinks(ctx.db, { tenantId: ctx.tenant.id, entity: "customer", state: "failed" }), getSettingsRow(ctx.db, ctx.tenant.id), getZohoConnection(ctx.db, { tenantId: ctx.tenant.id })]);
    const paused = zoho?.state === "needs_reconnect";
    // Held in the organization chosen now: held links of another one are looked at again by its next run.
    const held = zoho?.organizationId ? await countHeldCustomers(ctx.db, { tenantId: ctx.tenant.id, organizationId: zoho.organizationId }) : 0;
    return { lastRun: run ?? null, failed, held, nextRun: paused ? null : nextScheduledRun(readSettings(stored), new Date()), paused };
  }),

  start: tenantProcedure("admin")
    .input(z.object({ entities: z.array(z.enum(["customer"])).min(1), retry: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      const zoho = await getZohoConnection(ctx.db, { tenantId: ctx.tenant.id });
      if (zoho?.state === "needs_reconnect") throw new DomainError("BAD_REQUEST", "Zoho Books needs reconnecting before a sync can run.");
      const run = await requestSync(ctx.db, { tenantId: ctx.tenant.id, trigger: input.retry ? "retry" : "manual", requestedBy: ctx.person.id, entities: input.entities });
      await ctx.db.transaction((tx) => recordAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.actor, action: input.retry ? "sync.retry_failed" : "sync.start", details: { entities: input.entities.join(", "), runId: run.id } }));
      return { runId: run.id };
    }),

  /** Retries one customer as a run of its own, started like any run; the records show the outcome when it ends. */
  retryOne: tenantProcedure("admin")
    .input(z.object({ splynxId: z.string().regex(/^\d+$/) }))
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      const chosen = { entities: ["customer" as const], onlySplynxIds: [input.splynxId] };
      const run = await requestSync(ctx.db, { tenantId, trigger: "retry", requestedBy: ctx.person.id, ...chosen });
      const audit = { tenantId, actor: ctx.actor, target: input.splynxId, details: { runId: run.id } };
      await ctx.db.transaction((tx) => recordAudit(tx, { ...audit, action: "sync.retry_one" }));
      return { runId: run.id };
    }),

  /** The run going now, else the last one; polled by the Sync page for live progress. */
  current: tenantProcedure("viewer").query(async ({ ctx }) => (await activeRun(ctx.db, ctx.tenant.id)) ?? (await lastRun(ctx.db, ctx.tenant.id)) ?? null),

  cancel: tenantProcedure("admin")
    .input(z.object({ runId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      // "cancelled": no worker held it, so it ended now; "requested": its worker stops at its next heartbeat.
      const outcome = await requestCancel(ctx.db, { tenantId: ctx.tenant.id, runId: input.runId });
      const audit = { tenantId: ctx.tenant.id, actor: ctx.actor, details: { runId: input.runId, outcome } };
      await ctx.db.transaction((tx) => recordAudit(tx, { ...audit, action: "sync.cancel" }));
      return { outcome };
    }),

  runs: tenantProcedure("viewer")
    .input(z.object({ cursor: z.date().nullish(), limit: z.number().int().min(1).max(100).default(25) }))
    .query(({ ctx, input }) => listRuns(ctx.db, { tenantId: ctx.tenant.id, before: input.cursor ?? undefined, limit: input.limit })),

  run: tenantProcedure("viewer")
    .input(z.object({ runId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const run = await getRun(ctx.db, { tenantId: ctx.tenant.id, runId: input.runId });
      if (!run) throw new DomainError("NOT_FOUND", "No such run.");
      return run;
    }),

  entries: tenantProcedure("viewer")
    .input(z.object({ runId: z.uuid(), action: z.enum(["created", "updated", "skipped", "failed", "adopted"]).optional(), cursor: z.number().int().nullish(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => listEntries(ctx.db, { tenantId: ctx.tenant.id, runId: input.runId, action: input.action, after: input.cursor ?? undefined, limit: input.limit })),

  records: tenantProcedure("viewer")
    .input(z.object({ state: z.enum(LINK_STATES).optional(), text: z.string().trim().max(100).optional(), cursor: z.string().max(40).nullish(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(async ({ ctx, input }) => {
      const page = await listLinks(ctx.db, { tenantId: ctx.tenant.id, entity: "customer", state: input.state, text: input.text || undefined, after: input.cursor ?? undefined, limit: input.limit });
      const zoho = await getZohoConnection(ctx.db, { tenantId: ctx.tenant.id });
      const organizationId = zoho?.organizationId;
      // Where each contact opens in Zoho's web app (the simulator's page in the sandbox).
      const zohoLinkPrefix = !zoho || !organizationId ? null : zoho.region === SANDBOX_REGION ? `/sandbox/zoho/app/${organizationId}/contacts/` : zohoRecordUrl(zoho.region as ZohoRegion, organizationId, "contacts", "");
      return { ...page, failed: await countLinks(ctx.db, { tenantId: ctx.tenant.id, entity: "customer", state: "failed" }), zohoLinkPrefix };
    }),
});

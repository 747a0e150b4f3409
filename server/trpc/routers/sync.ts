// Running syncs and reading their results: start, progress, cancel and the sync log.
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { activeRun, getRun, lastRun, listRuns, requestCancel } from "@/db/queries/runs";
import { countLinks, getSettingsRow, listEntries } from "@/db/queries/sync";
import { nextScheduledRun } from "@/server/sync/schedule";
import { readSettings } from "@/server/sync/settings";
import { getZohoConnection } from "@/db/queries/zoho";
import { countHeldCustomers } from "@/db/queries/pairing";
import { SYNC_ENTITIES, type SyncEntity } from "@/db/schema";
import { DomainError } from "@/server/errors";
import { SYNC_ORDER, syncsEntity } from "@/server/sync/engine";
import { requestSync } from "@/server/jobs/dispatcher";
import { syncBlockers } from "@/server/sync/readiness";
import { runEta } from "@/server/sync/run-eta";
import { router, tenantProcedure } from "../init";

/** What the sync log lists: every action but "unchanged", which is not written. */
const LOGGED_ACTIONS = ["created", "updated", "adopted", "skipped", "failed", "held", "warning"] as const;

/** The entities this version syncs, in the order a run syncs them. */
const syncedEntities = () => SYNC_ORDER.filter(syncsEntity);

const entityName = (entity: SyncEntity) => `${entity.replace("_", " ")}s`;

/** Refuses a start before the connections, mapping and settings its entities need exist, saying what and where. */
async function refuseUnready(db: Db, tenantId: string, entities: SyncEntity[]) {
  const blockers = await syncBlockers(db, { tenantId, entities });
  const entity = entities.find((candidate) => blockers[candidate]);
  if (!entity) return;
  const blocker = blockers[entity]!;
  throw new DomainError("BAD_REQUEST", `Can't sync ${entityName(entity)} yet: ${blocker.reason} ${blocker.fix} first.`);
}

async function failedCounts(
  db: Db,
  tenantId: string,
  entities: SyncEntity[],
): Promise<Partial<Record<SyncEntity, number>>> {
  const counts = await Promise.all(entities.map((entity) => countLinks(db, { tenantId, entity, state: "failed" })));
  return Object.fromEntries(entities.map((entity, index) => [entity, counts[index]!]));
}

export const syncRouter = router({
  /**
   * For the dashboard and the Sync page: the last run, the failed and held records, the next scheduled run, and the
   * entities this version syncs (each with an adapter), in the order a run syncs them.
   */
  overview: tenantProcedure("viewer").query(async ({ ctx }) => {
    const entities = syncedEntities();
    const [run, failedByEntity, stored, zoho, blockers] = await Promise.all([
      lastRun(ctx.db, ctx.tenant.id),
      failedCounts(ctx.db, ctx.tenant.id, entities),
      getSettingsRow(ctx.db, ctx.tenant.id),
      getZohoConnection(ctx.db, { tenantId: ctx.tenant.id }),
      syncBlockers(ctx.db, { tenantId: ctx.tenant.id, entities }),
    ]);
    const paused = zoho?.state === "needs_reconnect";
    // Held in the organization chosen now: held links of another one are looked at again by its next run.
    const held = zoho?.organizationId
      ? await countHeldCustomers(ctx.db, { tenantId: ctx.tenant.id, organizationId: zoho.organizationId })
      : 0;
    const failed = Object.values(failedByEntity).reduce((total, count) => total + count, 0);
    return {
      lastRun: run ?? null,
      failed,
      failedByEntity,
      held,
      nextRun: paused ? null : nextScheduledRun(readSettings(stored), new Date()),
      paused,
      entities,
      blockers,
    };
  }),

  start: tenantProcedure("admin")
    .input(
      z.object({
        entities: z.array(z.enum(SYNC_ENTITIES)).min(1).max(SYNC_ENTITIES.length),
        retry: z.boolean().default(false),
        /** The payments import's reach: payments changed since the last import, or all since the import-from date. */
        paymentsImportMode: z.enum(["new", "all"]).default("new"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const unsynced = input.entities.filter((entity) => !syncsEntity(entity));
      if (unsynced.length > 0) {
        const offered = syncedEntities().map(entityName).join(", ");
        throw new DomainError(
          "BAD_REQUEST",
          `This version of Ledgerlink does not sync ${unsynced.map(entityName).join(" or ")} yet; it syncs ${offered}.`,
        );
      }
      const entities = SYNC_ORDER.filter((entity) => input.entities.includes(entity));
      await refuseUnready(ctx.db, ctx.tenant.id, entities);
      const importing = entities.includes("payment_import");
      const run = await requestSync(ctx.db, {
        tenantId: ctx.tenant.id,
        trigger: input.retry ? "retry" : "manual",
        requestedBy: ctx.person.id,
        entities,
        ...(importing && { paymentsImportMode: input.paymentsImportMode }),
      });
      await ctx.db.transaction((tx) =>
        recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: input.retry ? "sync.retry_failed" : "sync.start",
          details: {
            entities: entities.join(", "),
            runId: run.id,
            ...(importing && { paymentsImport: input.paymentsImportMode }),
          },
        }),
      );
      return { runId: run.id };
    }),

  /** Retries one customer as a run of its own, started like any run; the records show the outcome when it ends. */
  retryOne: tenantProcedure("admin")
    .input(z.object({ splynxId: z.string().regex(/^\d{1,20}$/, "Not a Splynx id") }))
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      await refuseUnready(ctx.db, tenantId, ["customer"]);
      const chosen = { entities: ["customer" as const], onlySplynxIds: [input.splynxId] };
      const run = await requestSync(ctx.db, { tenantId, trigger: "retry", requestedBy: ctx.person.id, ...chosen });
      const audit = { tenantId, actor: ctx.actor, target: input.splynxId, details: { runId: run.id } };
      await ctx.db.transaction((tx) => recordAudit(tx, { ...audit, action: "sync.retry_one" }));
      return { runId: run.id };
    }),

  /** The run going now (with its ETA), else the last one; polled by the Sync page and the dashboard for progress. */
  current: tenantProcedure("viewer").query(async ({ ctx }) => {
    const active = await activeRun(ctx.db, ctx.tenant.id);
    if (active) return { ...active, eta: await runEta(ctx.db, { tenantId: ctx.tenant.id, run: active }) };
    const last = await lastRun(ctx.db, ctx.tenant.id);
    return last ? { ...last, eta: null } : null;
  }),

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
    .query(({ ctx, input }) =>
      listRuns(ctx.db, { tenantId: ctx.tenant.id, before: input.cursor ?? undefined, limit: input.limit }),
    ),

  run: tenantProcedure("viewer")
    .input(z.object({ runId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const run = await getRun(ctx.db, { tenantId: ctx.tenant.id, runId: input.runId });
      if (!run) throw new DomainError("NOT_FOUND", "No such run.");
      return run;
    }),

  entries: tenantProcedure("viewer")
    .input(
      z.object({
        runId: z.uuid(),
        action: z.enum(LOGGED_ACTIONS).optional(),
        cursor: z.number().int().nullish(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) =>
      listEntries(ctx.db, {
        tenantId: ctx.tenant.id,
        runId: input.runId,
        action: input.action,
        after: input.cursor ?? undefined,
        limit: input.limit,
      }),
    ),
});

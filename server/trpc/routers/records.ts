// Records (SPEC §8): every Splynx record in scope from the tenant's index, with its link where a run made one, and the
// index's refresh from Splynx; imported payments, which start in Zoho, from their links.
import { z } from "zod";
import { getIndexRefresh, listRecords } from "@/db/queries/splynx-index";
import { countLinks, listLinks } from "@/db/queries/sync";
import { getZohoConnection } from "@/db/queries/zoho";
import { INDEXED_ENTITIES, LINK_STATES, SYNC_ENTITIES, type IndexedEntity } from "@/db/schema";
import { recordAudit } from "@/db/queries/audit";
import { DomainError } from "@/server/errors";
import { requestIndexRefresh } from "@/server/jobs/splynx-index";
import { compare } from "@/server/money";
import { zohoLinkPrefix } from "@/server/zoho/record-links";
import { router, tenantProcedure } from "../init";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD");
const DECIMAL = /^-?\d+(\.\d+)?$/;
const isIndexed = (entity: string): entity is IndexedEntity => (INDEXED_ENTITIES as readonly string[]).includes(entity);

/** Both totals known and not equal to the cent; an unknown one is not a mismatch. */
function totalsDiffer(splynxTotal: string | undefined, zohoTotal: string | undefined): boolean {
  if (splynxTotal === undefined || zohoTotal === undefined) return false;
  return DECIMAL.test(splynxTotal) && DECIMAL.test(zohoTotal) && compare(splynxTotal, zohoTotal) !== 0;
}

type Filter = Parameters<typeof listRecords>[1];
type Listed = Awaited<ReturnType<typeof listRecords>>;

/** Imported payments have no Splynx record before the import makes one: their links are the list. */
async function importedPayments(db: Parameters<typeof listLinks>[0], filter: Omit<Filter, "entity">): Promise<Listed> {
  if (filter.state === "unsynced") return { records: [], nextCursor: null };
  const page = await listLinks(db, { ...filter, entity: "payment_import", state: filter.state });
  const records = page.links.map((link): Listed["records"][number] => ({
    splynxId: link.splynxId,
    label: link.label ?? link.splynxId,
    state: link.state,
    zohoId: link.zohoId,
    manual: link.manual,
    message: link.message,
    syncedAt: link.syncedAt,
    details: link.details ?? {},
    customerName: link.customerName,
    zohoContactName: link.zohoContactName,
    mismatch: totalsDiffer(link.details?.splynxTotal, link.details?.zohoTotal),
    splynxStatus: null,
    changedAt: null,
    removedAt: null,
  }));
  return { records, nextCursor: page.nextCursor };
}

export const recordsRouter = router({
  /** One entity's records, keyset-paged by Splynx id; "unsynced" lists those no run has handled yet. */
  list: tenantProcedure("viewer")
    .input(
      z.object({
        entity: z.enum(SYNC_ENTITIES).default("customer"),
        state: z.enum([...LINK_STATES, "unsynced"]).optional(),
        text: z.string().trim().max(100).optional(),
        customer: z.string().trim().max(100).optional(),
        dateFrom: day.optional(),
        dateTo: day.optional(),
        mismatch: z.boolean().optional(),
        cursor: z
          .string()
          .regex(/^\d{1,20}$/, "Not a Splynx id")
          .nullish(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      const filter = {
        tenantId,
        state: input.state,
        text: input.text || undefined,
        customer: input.customer || undefined,
        dateFrom: input.dateFrom,
        dateTo: input.dateTo,
        mismatch: input.mismatch,
        after: input.cursor ?? undefined,
        limit: input.limit,
      };
      const entity = input.entity;
      const [page, failed, zoho] = await Promise.all([
        isIndexed(entity) ? listRecords(ctx.db, { ...filter, entity }) : importedPayments(ctx.db, filter),
        countLinks(ctx.db, { tenantId, entity, state: "failed" }),
        getZohoConnection(ctx.db, { tenantId }),
      ]);
      return { ...page, failed, zohoLinkPrefix: zohoLinkPrefix(zoho, { tenantSlug: ctx.tenant.slug, entity }) };
    }),

  /** The tenant's latest read of Splynx into the index, with its progress. */
  refreshStatus: tenantProcedure("viewer").query(async ({ ctx }) => {
    const refresh = await getIndexRefresh(ctx.db, ctx.tenant.id);
    if (!refresh) return null;
    const { id: _id, tenantId: _tenant, ...shown } = refresh;
    return shown;
  }),

  /** "Refresh from Splynx": reads Splynx's lists (never Zoho) into the index; one at a time per tenant. */
  refresh: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const started = await requestIndexRefresh(ctx.db, ctx.tenant.id);
    if (!started) throw new DomainError("CONFLICT", "Splynx is being read already; this list refreshes when it ends.");
    await ctx.db.transaction((tx) =>
      recordAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.actor, action: "records.refresh", details: {} }),
    );
    return { started: true };
  }),
});

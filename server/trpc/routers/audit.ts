// The audit log of the current tenant, for owners and admins.
import { z } from "zod";
import { auditFilterOptions, listAudit } from "@/db/queries/audit";
import { router, tenantProcedure } from "../init";

export const auditRouter = router({
  list: tenantProcedure("admin")
    .input(
      z.object({
        actorId: z.uuid().optional(),
        action: z.string().max(100).optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        cursor: z.number().int().positive().nullish(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(({ ctx, input }) =>
      listAudit(ctx.db, { ...input, before: input.cursor ?? undefined, tenantId: ctx.tenant.id }),
    ),

  filterOptions: tenantProcedure("admin").query(({ ctx }) => auditFilterOptions(ctx.db, ctx.tenant.id)),
});

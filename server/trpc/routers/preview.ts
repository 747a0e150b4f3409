// The preview (dry run, SPEC §8): start one for some entities or everything, follow it, read what it found.
import { z } from "zod";
import { PREVIEW_ACTIONS } from "@/server/preview/decide";
import { PREVIEW_ENTITIES } from "@/server/preview/preview";
import { router, tenantProcedure } from "../init";
import { getProcedure, latestProcedure, rowsProcedure, startReportFor } from "./report-procedures";

export const previewRouter = router({
  start: tenantProcedure("admin")
    .input(z.object({ entities: z.array(z.enum(PREVIEW_ENTITIES)).min(1, "Choose at least one entity").max(4) }))
    .mutation(async ({ ctx, input }) =>
      startReportFor(ctx.db, {
        tenantId: ctx.tenant.id,
        kind: "preview",
        personId: ctx.person.id,
        scope: { entities: PREVIEW_ENTITIES.filter((entity) => input.entities.includes(entity)) },
      }),
    ),
  latest: latestProcedure("preview"),
  get: getProcedure("preview"),
  rows: rowsProcedure("preview", PREVIEW_ACTIONS),
});

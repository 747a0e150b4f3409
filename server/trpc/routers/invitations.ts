// Invitations seen from the invited person's side: what the link offers, and accepting it.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { acceptInvitation, describeInvitation } from "@/db/queries/invitations";
import { authedProcedure, publicProcedure, router } from "../init";

const token = z.string().min(20).max(200);

export const invitationsRouter = router({
  describe: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => describeInvitation(ctx.db, input)),

  accept: authedProcedure.input(z.object({ token })).mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      const joined = await acceptInvitation(tx, { token: input.token, person: ctx.person });
      await recordAudit(tx, {
        tenantId: joined.tenant.id,
        actor: ctx.actor,
        action: "member.join",
        target: ctx.person.email,
        details: { role: joined.role },
      });
      return { slug: joined.tenant.slug };
    }),
  ),
});

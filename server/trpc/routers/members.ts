// Members of the current tenant: list, invite, change roles, remove, leave.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { createInvitation, listOpenInvitations, revokeInvitation } from "@/db/queries/invitations";
import { mailInvitation } from "@/server/mail/invitation";
import { changeMemberRole, listMembers, removeMember } from "@/db/queries/tenants";
import { ROLES } from "@/db/schema";
import { router, tenantProcedure } from "../init";

const role = z.enum(ROLES);
const membershipId = z.uuid("Not a member id");

export const membersRouter = router({
  list: tenantProcedure("viewer").query(({ ctx }) => listMembers(ctx.db, { tenantId: ctx.tenant.id })),

  invitations: tenantProcedure("owner").query(({ ctx }) => listOpenInvitations(ctx.db, { tenantId: ctx.tenant.id })),

  invite: tenantProcedure("owner")
    .input(z.object({ email: z.email("Enter a valid e-mail address").max(254), role }))
    .mutation(async ({ ctx, input }) => {
      const invited = await ctx.db.transaction(async (tx) => {
        const invitation = await createInvitation(tx, {
          tenantId: ctx.tenant.id,
          email: input.email,
          role: input.role,
          invitedBy: ctx.person.id,
        });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "member.invite",
          target: input.email.toLowerCase(),
          details: { role: input.role },
        });
        return { path: `/invite/${invitation.token}`, expiresAt: invitation.expiresAt };
      });
      // Mailed once the invitation is committed; the link is shown to the owner either way.
      const mail = { to: input.email, tenantName: ctx.tenant.name, inviterName: ctx.person.name, role: input.role };
      return { ...invited, mailed: await mailInvitation(ctx.db, { ...mail, ...invited, origin: ctx.origin }) };
    }),

  revokeInvitation: tenantProcedure("owner")
    .input(z.object({ invitationId: z.uuid("Not an invitation id") }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const revoked = await revokeInvitation(tx, { tenantId: ctx.tenant.id, invitationId: input.invitationId });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "member.invitation_revoke",
          target: revoked.email,
        });
      }),
    ),

  changeRole: tenantProcedure("owner")
    .input(z.object({ membershipId, role }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const before = await changeMemberRole(tx, { tenantId: ctx.tenant.id, ...input });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "member.role_change",
          target: before.email,
          details: { role: { before: before.role, after: input.role } },
        });
      }),
    ),

  remove: tenantProcedure("owner")
    .input(z.object({ membershipId }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        const removed = await removeMember(tx, { tenantId: ctx.tenant.id, membershipId: input.membershipId });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "member.remove",
          target: removed.email,
          details: { role: removed.role },
        });
      }),
    ),

  leave: tenantProcedure("viewer").mutation(({ ctx }) =>
    ctx.db.transaction(async (tx) => {
      const [self] = (await listMembers(tx, { tenantId: ctx.tenant.id })).filter(
        (member) => member.personId === ctx.person.id,
      );
      const left = await removeMember(tx, { tenantId: ctx.tenant.id, membershipId: self!.membershipId });
      await recordAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.actor, action: "member.leave", target: left.email });
    }),
  ),
});

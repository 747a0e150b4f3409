// Tenants: list and create your own; read, rename and delete the current one.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { takeAttempt, type ThrottlePolicy } from "@/db/queries/sign-in-throttle";
import { countMembers, createTenant, listTenantsForPerson, renameTenant } from "@/db/queries/tenants";
import { deleteTenantRevokingZoho } from "@/server/tenants/delete-tenant";
import { authedProcedure, router, tenantProcedure } from "../init";
import { tenantName, tenantSlug } from "./tenant-slug";

/** Workspaces one person may create in an hour: plenty for an operator, a wall for a script. */
export const TENANT_CREATION_POLICY: ThrottlePolicy = { maxAttempts: 10, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };

export const tenantsRouter = router({
  list: authedProcedure.query(({ ctx }) => listTenantsForPerson(ctx.db, ctx.person.id)),

  create: authedProcedure.input(z.object({ name: tenantName, slug: tenantSlug })).mutation(async ({ ctx, input }) => {
    if (await takeAttempt(ctx.db, `tenant-create:${ctx.person.id}`, TENANT_CREATION_POLICY))
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: "You created many workspaces this hour: wait an hour.",
      });
    return ctx.db.transaction(async (tx) => {
      const tenant = await createTenant(tx, { ...input, ownerId: ctx.person.id });
      await recordAudit(tx, {
        tenantId: tenant.id,
        actor: ctx.actor,
        action: "tenant.create",
        target: tenant.slug,
        details: { name: tenant.name },
      });
      return { slug: tenant.slug };
    });
  }),

  current: tenantProcedure("viewer").query(async ({ ctx }) => {
    return { ...ctx.tenant, memberCount: await countMembers(ctx.db, { tenantId: ctx.tenant.id }) };
  }),

  rename: tenantProcedure("owner")
    .input(z.object({ name: tenantName }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        await renameTenant(tx, { tenantId: ctx.tenant.id, name: input.name });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "tenant.rename",
          details: { name: { before: ctx.tenant.name, after: input.name } },
        });
      }),
    ),

  delete: tenantProcedure("owner")
    .input(z.object({ confirmation: z.string().max(100, "Use at most 100 characters") }))
    .mutation(async ({ ctx, input }) => {
      if (input.confirmation !== ctx.tenant.slug) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `Type "${ctx.tenant.slug}" to confirm.` });
      }
      await deleteTenantRevokingZoho(ctx.db, { tenantId: ctx.tenant.id });
    }),
});

// Tenants: list and create your own; read, rename and delete the current one.
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { createTenant, deleteTenant, listMembers, listTenantsForPerson, renameTenant } from "@/db/queries/tenants";
import { authedProcedure, router, tenantProcedure } from "../init";

const tenantName = z.string().trim().min(2, "Use at least 2 characters").max(100, "Use at most 100 characters");
const tenantSlug = z
  .string()
  .trim()
  .min(3, "Use at least 3 characters")
  .max(48, "Use at most 48 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lower-case letters, digits and single hyphens");

/** A URL-safe address suggested from a tenant's name. */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}

export const tenantsRouter = router({
  list: authedProcedure.query(({ ctx }) => listTenantsForPerson(ctx.db, ctx.person.id)),

  create: authedProcedure.input(z.object({ name: tenantName, slug: tenantSlug })).mutation(({ ctx, input }) =>
    ctx.db.transaction(async (tx) => {
      const tenant = await createTenant(tx, { ...input, ownerId: ctx.person.id });
      await recordAudit(tx, { tenantId: tenant.id, actor: ctx.actor, action: "tenant.create", target: tenant.slug, details: { name: tenant.name } });
      return { slug: tenant.slug };
    }),
  ),

  current: tenantProcedure("viewer").query(async ({ ctx }) => {
    const members = await listMembers(ctx.db, { tenantId: ctx.tenant.id });
    return { ...ctx.tenant, memberCount: members.length };
  }),

  rename: tenantProcedure("owner")
    .input(z.object({ name: tenantName }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        await renameTenant(tx, { tenantId: ctx.tenant.id, name: input.name });
        await recordAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.actor, action: "tenant.rename", details: { name: { before: ctx.tenant.name, after: input.name } } });
      }),
    ),

  delete: tenantProcedure("owner")
    .input(z.object({ confirmation: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (input.confirmation !== ctx.tenant.slug) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `Type "${ctx.tenant.slug}" to confirm.` });
      }
      // The tenant's audit log goes with it: nothing of a deleted tenant is kept.
      await deleteTenant(ctx.db, { tenantId: ctx.tenant.id });
    }),
});

// tRPC building blocks: the context type, and procedures for the public, the signed-in, and tenant members by role.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/db/queries/audit";
import { findMembership } from "@/db/queries/tenants";
import type { Role } from "@/db/schema";
import { DomainError, ExternalServiceError } from "@/server/errors";
import { hasRole } from "./roles";

export type Person = { id: string; email: string; name: string };
export type Context = {
  db: Db;
  person: Person | null;
  ip: string | null /** The origin the request came to, for URLs the app hands out. */;
  origin: string;
};
export type Meta = { minRole?: Role };

/** Zod's messages keyed by the field's dotted path ("settings.customers.namePattern"), so nested forms can place them. */
function fieldMessages(error: ZodError): Record<string, string[]> {
  const messages: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const path = issue.path.join(".");
    messages[path] = [...(messages[path] ?? []), issue.message];
  }
  return messages;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          fieldErrors:
            cause instanceof ZodError
              ? fieldMessages(cause)
              : cause instanceof DomainError && cause.field
                ? { [cause.field]: [cause.message] }
                : null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Domain errors and Splynx's or Zoho's refusals become the matching tRPC error, message intact.
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : result.error.cause;
  if (cause instanceof DomainError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  if (cause instanceof ExternalServiceError)
    throw new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.person) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  const actor: Actor = { id: ctx.person.id, email: ctx.person.email, ip: ctx.ip };
  return next({ ctx: { person: ctx.person, actor } });
});

export const tenantInput = z.object({ tenantSlug: z.string().min(1).max(64) });

/**
 * A procedure for members of the tenant named by `tenantSlug` holding at least `minRole`.
 * Membership is read on every call, so a removed member loses access at their next request.
 */
export function tenantProcedure(minRole: Role) {
  return authedProcedure
    .meta({ minRole })
    .input(tenantInput)
    .use(async ({ ctx, input, next }) => {
      const membership = await findMembership(ctx.db, { slug: input.tenantSlug, personId: ctx.person.id });
      // Not a member and no such tenant look the same, so slugs of other tenants can't be probed.
      if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Tenant not found." });
      if (!hasRole(membership.role, minRole)) {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: `This needs the ${minRole} role; you are ${membership.role}.`,
        });
      }
      const { id, slug, name, role } = membership;
      return next({ ctx: { tenant: { id, slug, name, role } } });
    });
}

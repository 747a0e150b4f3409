// The tenant's Zoho Books connection: connect, choose the organization, refresh, disconnect, and its health.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { deleteTenantLinks, describeLinked, linkedOutside } from "@/db/queries/links-reset";
import { clearContactsCache } from "@/db/queries/pairing";
import { activeRun } from "@/db/queries/runs";
import { chooseOrganization, deleteZohoConnection, getZohoConnection } from "@/db/queries/zoho";
import { zohoUsage } from "@/db/queries/zoho-limits";
import { maskSecret } from "@/server/crypto/secrets";
import { DomainError } from "@/server/errors";
import {
  appForConnection,
  availableRegions,
  booksClientForTenant,
  revokeStoredRefreshToken,
  SANDBOX_REGION,
  startZohoConnect,
  zohoFetchFor,
  type RegionChoice,
} from "@/server/zoho/connection";
import { ZOHO_SCOPES } from "@/server/zoho/oauth";
import { ZOHO_REGION_CODES } from "@/server/zoho/regions";
import { forgetAccessToken } from "@/server/zoho/token-cache";
import { accessToken } from "@/server/zoho/tokens";
import { env } from "@/server/env";
import { hasRole } from "../roles";
import { router, tenantProcedure } from "../init";

const region = z.enum([SANDBOX_REGION, ...ZOHO_REGION_CODES] as [string, ...string[]]);

export const zohoRouter = router({
  connection: tenantProcedure("viewer").query(async ({ ctx }) => {
    const connection = await getZohoConnection(ctx.db, { tenantId: ctx.tenant.id });
    const regions = availableRegions();
    if (!connection)
      return { connected: false as const, regions, scopes: ZOHO_SCOPES, sharedAppAvailable: env().zohoApp !== null };
    const usage = connection.organizationId ? await zohoUsage(ctx.db, connection.organizationId) : null;
    return {
      connected: true as const,
      regions,
      scopes: ZOHO_SCOPES,
      sharedAppAvailable: env().zohoApp !== null,
      region: connection.region,
      state: connection.state,
      stateReason: connection.stateReason,
      organizationId: connection.organizationId,
      organizationName: connection.organizationName,
      ownClientId: hasRole(ctx.tenant.role, "admin") ? connection.ownClientId : null,
      connectedAt: connection.connectedAt,
      usage,
    };
  }),

  /** Starts the consent round trip; the browser goes to the URL returned. */
  connect: tenantProcedure("admin")
    .input(
      z.object({
        region,
        ownApp: z
          .object({
            clientId: z.string().trim().min(1, "Enter the client id").max(200, "Use at most 200 characters"),
            clientSecret: z.string().trim().min(1, "Enter the client secret").max(200, "Use at most 200 characters"),
          })
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      startZohoConnect(ctx.db, {
        tenantId: ctx.tenant.id,
        tenantSlug: ctx.tenant.slug,
        personId: ctx.person.id,
        region: input.region as RegionChoice,
        ownApp: input.ownApp,
        origin: ctx.origin,
      }),
    ),

  /** The Zoho organizations the connected account can reach, for the picker. */
  organizations: tenantProcedure("admin").query(async ({ ctx }) => {
    const books = await booksClientForTenant(ctx.db, ctx.tenant.id, { organizationId: "" });
    return (await books.organizations()).map((organization) => ({
      organizationId: String(organization.organization_id),
      name: String(organization.name),
      currencyCode: String(organization.currency_code ?? ""),
      planName: String(organization.plan_name ?? ""),
    }));
  }),

  /**
   * Links belong to one organization (SPEC §6): when records are linked into another one (after a reconnect), choosing
   * this one erases those links, and only with `eraseLinks`, the person's confirmation of what that means.
   */
  chooseOrganization: tenantProcedure("admin")
    .input(
      z.object({
        organizationId: z.string().regex(/^\d{1,30}$/, "Not a Zoho organization id"),
        eraseLinks: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const tenantId = ctx.tenant.id;
      const connection = await getZohoConnection(ctx.db, { tenantId });
      if (!connection) throw new DomainError("BAD_REQUEST", "Connect Zoho Books first.");
      if (connection.organizationId && connection.organizationId !== input.organizationId) {
        throw new DomainError(
          "BAD_REQUEST",
          "Switching to another organization needs the accounting data reset first (Data mapping → Reset accounting data, forgetting the organization), so no mapping or record points into the old one.",
          "organizationId",
        );
      }
      const books = await booksClientForTenant(ctx.db, tenantId, { organizationId: "" });
      const chosen = (await books.organizations()).find(
        (organization) => String(organization.organization_id) === input.organizationId,
      );
      if (!chosen) throw new DomainError("NOT_FOUND", "This Zoho account has no such organization.", "organizationId");
      const name = String(chosen.name);
      const switching = connection.organizationId !== input.organizationId;
      return ctx.db.transaction(async (tx) => {
        const elsewhere = await linkedOutside(tx, { tenantId, organizationId: input.organizationId });
        const one = elsewhere.length === 1 && elsewhere[0]!.records === 1;
        const what = one ? "it will be synced again as a new record" : "they will be synced again as new records";
        if (elsewhere.length > 0 && !input.eraseLinks)
          throw new DomainError("CONFLICT", `${describeLinked(elsewhere)}; ${what} in ${name}.`, "eraseLinks");
        const erase = switching || elsewhere.length > 0;
        // A run still going writes links into the organization it started with.
        if (erase && (await activeRun(tx, tenantId)))
          throw new DomainError(
            "CONFLICT",
            "A sync is running; wait for it to end, or cancel it, before choosing the organization.",
          );
        // Held and confirmed decisions about the other organization's records go too: they are made anew here.
        const erased = erase
          ? await deleteTenantLinks(tx, { tenantId, exceptOrganizationId: input.organizationId })
          : 0;
        // The cached Zoho contacts are another organization's.
        if (switching) await clearContactsCache(tx, { tenantId });
        const organizationPlan = chosen.plan_name ? String(chosen.plan_name) : null;
        await chooseOrganization(tx, {
          tenantId,
          organizationId: input.organizationId,
          organizationName: name,
          organizationPlan,
        });
        const erasure = elsewhere.length > 0 ? { linksErased: erased, linkedBefore: describeLinked(elsewhere) } : {};
        await recordAudit(tx, {
          tenantId,
          actor: ctx.actor,
          action: "zoho.organization_choose",
          target: name,
          details: { organizationId: input.organizationId, ...erasure },
        });
        return { linksErased: erased };
      });
    }),

  refreshToken: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const context = {
      db: ctx.db,
      tenantId: ctx.tenant.id,
      appFor: appForConnection,
      fetchFor: zohoFetchFor(ctx.tenant.id),
    };
    const token = await accessToken(context, { force: true });
    await ctx.db.transaction((tx) =>
      recordAudit(tx, {
        tenantId: ctx.tenant.id,
        actor: ctx.actor,
        action: "zoho.token_refresh",
        details: { accessToken: maskSecret(token) },
      }),
    );
  }),

  disconnect: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const connection = await getZohoConnection(ctx.db, { tenantId: ctx.tenant.id });
    if (!connection) return;
    // Revoke first: if Zoho can't be reached the connection stays, rather than leaving a live token behind.
    try {
      await revokeStoredRefreshToken(connection);
    } catch (error) {
      throw new DomainError(
        "BAD_REQUEST",
        `Zoho could not revoke the connection, so it was kept: ${(error as Error).message}`,
      );
    }
    await ctx.db.transaction(async (tx) => {
      await deleteZohoConnection(tx, { tenantId: ctx.tenant.id });
      forgetAccessToken(ctx.tenant.id);
      await recordAudit(tx, {
        tenantId: ctx.tenant.id,
        actor: ctx.actor,
        action: "zoho.disconnect",
        target: connection.organizationName ?? undefined,
      });
    });
  }),
});

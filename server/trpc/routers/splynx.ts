// The tenant's Splynx connection: view (secrets masked, admins only), save, and test.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { getSplynxConnection, recordSplynxTest, saveSplynxConnection } from "@/db/queries/splynx";
import { SPLYNX_AUTH_MODES } from "@/db/schema";
import { decryptSecret, encryptSecret, maskSecret } from "@/server/crypto/secrets";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { assertAllowedUrl, UrlRefused } from "@/server/net/url-guard";
import { isSandboxUrl, SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { testSplynxConnection } from "@/server/splynx/connection-test";
import { hasRole } from "../roles";
import { router, tenantProcedure } from "../init";

/** "https://isp.splynx.app/api/2.0/" and "https://isp.splynx.app" name the same server. */
const baseUrl = z
  .string()
  .trim()
  .min(1, "Enter the Splynx URL")
  .max(300, "Use at most 300 characters")
  .transform((value) => value.replace(/\/+$/, "").replace(/\/api\/2\.0$/, ""));

const secretInput = z.string().trim().max(200, "Use at most 200 characters").optional();

function checkBaseUrl(value: string): void {
  if (isSandboxUrl(value)) {
    if (value !== SANDBOX_SPLYNX_URL || !env().sandbox)
      throw new DomainError("BAD_REQUEST", "The sandbox is not available on this server.", "baseUrl");
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError("BAD_REQUEST", "Enter a full URL such as https://isp.splynx.app", "baseUrl");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new DomainError("BAD_REQUEST", "The URL must start with https://", "baseUrl");
  if (!env().urlGuard) return;
  try {
    assertAllowedUrl(url);
  } catch (error) {
    if (error instanceof UrlRefused) throw new DomainError("BAD_REQUEST", error.message, "baseUrl");
    throw error;
  }
}

export const splynxRouter = router({
  connection: tenantProcedure("viewer").query(async ({ ctx }) => {
    const connection = await getSplynxConnection(ctx.db, { tenantId: ctx.tenant.id });
    if (!connection) return null;
    const isAdmin = hasRole(ctx.tenant.role, "admin");
    const keys = env().encryptionKeys;
    return {
      baseUrl: connection.baseUrl,
      authMode: connection.authMode,
      // Viewers see neither part of the credentials; admins see the last four characters.
      apiKey: isAdmin ? maskSecret(decryptSecret(connection.apiKeySealed, keys)) : null,
      apiSecret: isAdmin ? maskSecret(decryptSecret(connection.apiSecretSealed, keys)) : null,
      lastTest: connection.lastTest,
      updatedAt: connection.updatedAt,
    };
  }),

  /** The sandbox's connection details, offered on the screen where the sandbox is on. */
  sandbox: tenantProcedure("admin").query(() =>
    env().sandbox ? { baseUrl: SANDBOX_SPLYNX_URL, keys: SANDBOX_SPLYNX_KEYS } : null,
  ),

  save: tenantProcedure("admin")
    .input(z.object({ baseUrl, authMode: z.enum(SPLYNX_AUTH_MODES), apiKey: secretInput, apiSecret: secretInput }))
    .mutation(({ ctx, input }) =>
      ctx.db.transaction(async (tx) => {
        checkBaseUrl(input.baseUrl);
        const existing = await getSplynxConnection(tx, { tenantId: ctx.tenant.id });
        if (!existing && !input.apiKey) throw new DomainError("BAD_REQUEST", "Enter the API key", "apiKey");
        if (!existing && !input.apiSecret) throw new DomainError("BAD_REQUEST", "Enter the API secret", "apiSecret");
        const keys = env().encryptionKeys;
        await saveSplynxConnection(tx, {
          tenantId: ctx.tenant.id,
          baseUrl: input.baseUrl,
          authMode: input.authMode,
          apiKeySealed: input.apiKey ? encryptSecret(input.apiKey, keys) : existing!.apiKeySealed,
          apiSecretSealed: input.apiSecret ? encryptSecret(input.apiSecret, keys) : existing!.apiSecretSealed,
        });
        await recordAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.actor,
          action: "splynx.connection_save",
          details: {
            baseUrl: { before: existing?.baseUrl ?? null, after: input.baseUrl },
            authMode: { before: existing?.authMode ?? null, after: input.authMode },
            ...(input.apiKey ? { apiKey: { before: existing ? "••••" : null, after: maskSecret(input.apiKey) } } : {}),
            ...(input.apiSecret ? { apiSecret: "changed" } : {}),
          },
        });
      }),
    ),

  test: tenantProcedure("admin").mutation(async ({ ctx }) => {
    const client = await splynxClientForTenant(ctx.db, ctx.tenant.id);
    const outcome = await testSplynxConnection(client);
    const result = { ...outcome, testedAt: new Date().toISOString() };
    await ctx.db.transaction(async (tx) => {
      await recordSplynxTest(tx, { tenantId: ctx.tenant.id, result });
      await recordAudit(tx, {
        tenantId: ctx.tenant.id,
        actor: ctx.actor,
        action: "splynx.connection_test",
        details: {
          ok: result.ok,
          failed:
            result.checks
              .filter((check) => !check.ok)
              .map((check) => check.label)
              .join(", ") || "none",
        },
      });
    });
    return result;
  }),
});

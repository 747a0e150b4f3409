// The tenant's Splynx connection: view (secrets masked, admins only), save, and test.
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { getSplynxConnection, recordSplynxTest, saveSplynxConnection } from "@/db/queries/splynx";
import { SPLYNX_AUTH_MODES } from "@/db/schema";
import { maskSecret } from "@/server/crypto/secrets";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { assertAllowedUrl, UrlRefused } from "@/server/net/url-guard";
import { isSandboxUrl, SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import { splynxClientForTenant } from "@/server/splynx/connect";
import { requestIndexRefresh } from "@/server/jobs/splynx-index";
import { testSplynxConnection } from "@/server/splynx/connection-test";
import { refuseMixedSandbox } from "@/server/zoho/sandbox-mixing";
import { credentialHost, sealSplynxKey, sealSplynxSecret, unsealSplynxCredentials } from "@/server/splynx/credentials";
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
    // Viewers see neither part of the credentials; admins see the last four characters.
    const credentials = hasRole(ctx.tenant.role, "admin") ? unsealSplynxCredentials(connection) : null;
    return {
      baseUrl: connection.baseUrl,
      authMode: connection.authMode,
      apiKey: credentials ? maskSecret(credentials.apiKey) : null,
      apiSecret: credentials ? maskSecret(credentials.apiSecret) : null,
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
        await refuseMixedSandbox(tx, { tenantId: ctx.tenant.id, splynxBaseUrl: input.baseUrl });
        const existing = await getSplynxConnection(tx, { tenantId: ctx.tenant.id });
        if (!existing && !input.apiKey) throw new DomainError("BAD_REQUEST", "Enter the API key", "apiKey");
        if (!existing && !input.apiSecret) throw new DomainError("BAD_REQUEST", "Enter the API secret", "apiSecret");
        // The secret was entered for one host: another URL could capture signed requests and replay them.
        if (existing && !input.apiSecret && credentialHost(input.baseUrl) !== credentialHost(existing.baseUrl))
          throw new DomainError(
            "BAD_REQUEST",
            "Enter the API secret again: it is only ever sent to the URL it was entered for.",
            "apiSecret",
          );
        await saveSplynxConnection(tx, {
          tenantId: ctx.tenant.id,
          baseUrl: input.baseUrl,
          authMode: input.authMode,
          apiKeySealed: input.apiKey ? sealSplynxKey(ctx.tenant.id, input.apiKey) : existing!.apiKeySealed,
          apiSecretSealed: input.apiSecret
            ? sealSplynxSecret(ctx.tenant.id, input.baseUrl, input.apiSecret)
            : existing!.apiSecretSealed,
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
    // Connected: Records' index of Splynx records is filled now, not only by the first sync.
    if (result.ok) await requestIndexRefresh(ctx.db, ctx.tenant.id);
    return result;
  }),
});

// Connecting a tenant to Zoho Books: the consent round trip, the organization, and a Books client for the tenant.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "@/db/client";
import { recordAudit, type Actor } from "@/db/queries/audit";
import {
  forgetOrganizationPlan,
  getZohoConnection,
  lockZohoConnection,
  saveZohoConnection,
  type ZohoConnectionRow,
} from "@/db/queries/zoho";
import { listTenantsForPerson } from "@/db/queries/tenants";
import { claimOAuthState, createOAuthState, findOAuthState } from "@/db/queries/zoho-oauth-states";
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { zohoBinding } from "@/server/crypto/zoho-bindings";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { SANDBOX_ZOHO, sandboxPath, sandboxZohoFetch } from "@/server/sandbox";
import { ZohoBooksClient } from "./books";
import { concurrencyForPlan, marginFor, ZohoLimiter, ZOHO_LIMITS } from "./limiter";
import { hasRole } from "@/server/trpc/roles";
import { authorizeUrl, exchangeCode, revokeRefreshToken, ZOHO_CALLBACK_PATH, ZohoTokenError } from "./oauth";
import {
  isKnownAccountsServer,
  isKnownApiDomain,
  regionOfAccountsServer,
  ZOHO_REGION_CODES,
  ZOHO_REGIONS,
  type ZohoRegion,
} from "./regions";
import { refuseMixedSandbox, SANDBOX_REGION } from "./sandbox-mixing";
import { forgetAccessToken } from "./token-cache";
import { accessToken, type ZohoApp } from "./tokens";

export { SANDBOX_REGION };
export type RegionChoice = ZohoRegion | typeof SANDBOX_REGION;

export function availableRegions(): { code: RegionChoice; label: string }[] {
  const regions = ZOHO_REGION_CODES.map((code) => ({ code: code as RegionChoice, label: ZOHO_REGIONS[code].label }));
  return env().sandbox ? [{ code: SANDBOX_REGION, label: "Sandbox (simulated Zoho Books)" }, ...regions] : regions;
}

function endpoints(region: RegionChoice, origin: string, tenantSlug: string) {
  if (region === SANDBOX_REGION) {
    if (!env().sandbox) throw new DomainError("BAD_REQUEST", "The sandbox is switched off on this server.", "region");
    return {
      consentBase: `${origin}${sandboxPath(tenantSlug, "zoho")}`,
      accountsServer: SANDBOX_ZOHO.accountsServer as string,
    };
  }
  return {
    consentBase: ZOHO_REGIONS[region].accounts as string,
    accountsServer: ZOHO_REGIONS[region].accounts as string,
  };
}

/** Zoho hosts are fixed, not tenant-typed; the sandbox's are answered in-process by the tenant's own simulator. */
export const zohoFetchFor =
  (tenantId: string) =>
  (url: string): typeof fetch =>
    url.startsWith("sandbox://") ? sandboxZohoFetch(tenantId) : fetch;

const stateKey = () => createHmac("sha256", env().authSecret).update("zoho-oauth-state").digest();
const signState = (id: string) => `${id}.${createHmac("sha256", stateKey()).update(id).digest("base64url")}`;

function verifyState(state: string): string | undefined {
  const [id, signature] = state.split(".");
  if (!id || !signature) return undefined;
  const expected = Buffer.from(signState(id).split(".")[1]!);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

/** The operator's shared app, the sandbox's own, or the tenant's. */
function sharedApp(region: string): ZohoApp {
  if (region === SANDBOX_REGION) return SANDBOX_ZOHO.app;
  const app = env().zohoApp;
  if (!app)
    throw new DomainError(
      "BAD_REQUEST",
      "This server has no shared Zoho app (ZOHO_CLIENT_ID/ZOHO_CLIENT_SECRET): use your own application.",
      "ownApp",
    );
  return app;
}

export function appForConnection(connection: ZohoConnectionRow): ZohoApp {
  if (connection.ownClientId && connection.ownClientSecretSealed)
    return {
      clientId: connection.ownClientId,
      clientSecret: decryptSecret(
        connection.ownClientSecretSealed,
        env().encryptionKeys,
        zohoBinding(connection.tenantId, "own_client_secret"),
      ),
    };
  return sharedApp(connection.region);
}

export const callbackUrl = (origin: string) => `${env().appUrl?.replace(/\/+$/, "") ?? origin}${ZOHO_CALLBACK_PATH}`;

/** Starts "Connect with Zoho Books": a signed, single-use state bound to tenant and person, and Zoho's consent URL. */
export async function startZohoConnect(
  db: Db,
  input: {
    tenantId: string;
    tenantSlug: string;
    personId: string;
    region: RegionChoice;
    ownApp?: ZohoApp;
    origin: string;
  },
): Promise<string> {
  const { consentBase } = endpoints(input.region, input.origin, input.tenantSlug);
  await refuseMixedSandbox(db, { tenantId: input.tenantId, zohoRegion: input.region });
  const app = input.ownApp ?? sharedApp(input.region);
  const id = await createOAuthState(db, {
    tenantId: input.tenantId,
    personId: input.personId,
    region: input.region,
    ownClientId: input.ownApp?.clientId,
    ownClientSecretSealed: input.ownApp
      ? encryptSecret(input.ownApp.clientSecret, env().encryptionKeys, zohoBinding(input.tenantId, "own_client_secret"))
      : undefined,
  });
  return authorizeUrl({
    consentBase,
    clientId: app.clientId,
    redirectUri: callbackUrl(input.origin),
    state: signState(id),
  });
}

export class ConnectRefused extends Error {
  constructor(
    message: string,
    readonly tenantId?: string,
  ) {
    super(message);
  }
}

/**
 * Finishes the round trip from Zoho's redirect: the state must be genuine, unused, unexpired and the caller's; the
 * accounts server must be Zoho's (or the sandbox's); the token response's API domain likewise.
 */
export async function completeZohoConnect(
  db: Db,
  input: { actor: Actor; query: URLSearchParams; origin: string; now?: Date },
): Promise<{ tenantId: string; warning?: string }> {
  const personId = input.actor.id;
  const stateId = verifyState(input.query.get("state") ?? "");
  if (!stateId)
    throw new ConnectRefused("The answer from Zoho did not carry a valid state; start again from the connection page.");
  const pending = await findOAuthState(db, stateId);
  const state = await claimOAuthState(db, { id: stateId, personId, now: input.now });
  if (!state)
    throw new ConnectRefused(
      pending?.usedAt
        ? "This answer from Zoho was already used; start again."
        : "This connection attempt expired or belongs to someone else; start again.",
      pending?.tenantId,
    );
  if (input.query.get("error")) throw new ConnectRefused(`Zoho reported: ${input.query.get("error")}`, state.tenantId);
  // The person may have been demoted or removed since they started; nothing is exchanged for them then.
  const membership = (await listTenantsForPerson(db, personId)).find((tenant) => tenant.id === state.tenantId);
  if (!membership || !hasRole(membership.role, "admin"))
    throw new ConnectRefused(
      "You are no longer an admin of this tenant, so Zoho Books was not connected.",
      membership ? state.tenantId : undefined,
    );

  const region = state.region as RegionChoice;
  // Splynx may have been switched to or from the sandbox since the attempt started.
  await refuseMixedSandbox(db, { tenantId: state.tenantId, zohoRegion: region }).catch((error: Error) => {
    throw new ConnectRefused(error.message, state.tenantId);
  });
  const accountsServer =
    input.query.get("accounts-server") ?? endpoints(region, input.origin, membership.slug).accountsServer;
  const sandbox = region === SANDBOX_REGION;
  if (sandbox ? accountsServer !== SANDBOX_ZOHO.accountsServer : !isKnownAccountsServer(accountsServer)) {
    throw new ConnectRefused(`Refused: ${accountsServer} is not a Zoho accounts server.`, state.tenantId);
  }
  const keys = env().encryptionKeys;
  const app =
    state.ownClientId && state.ownClientSecretSealed
      ? {
          clientId: state.ownClientId,
          clientSecret: decryptSecret(
            state.ownClientSecretSealed,
            keys,
            zohoBinding(state.tenantId, "own_client_secret"),
          ),
        }
      : sharedApp(region);
  let grant: Awaited<ReturnType<typeof exchangeCode>>;
  try {
    grant = await exchangeCode({
      fetch: zohoFetchFor(state.tenantId)(accountsServer),
      accountsServer,
      ...app,
      code: input.query.get("code") ?? "",
      redirectUri: callbackUrl(input.origin),
    });
  } catch (error) {
    throw new ConnectRefused(
      error instanceof ZohoTokenError ? error.message : "Zoho's accounts server could not be reached.",
      state.tenantId,
    );
  }
  const apiDomain = grant.apiDomain ?? (sandbox ? SANDBOX_ZOHO.apiDomain : undefined);
  if (
    !grant.refreshToken ||
    !apiDomain ||
    (sandbox ? apiDomain !== SANDBOX_ZOHO.apiDomain : !isKnownApiDomain(apiDomain))
  ) {
    throw new ConnectRefused("Zoho's answer lacked a refresh token or named an unknown API domain.", state.tenantId);
  }
  const answeredFrom = regionOfAccountsServer(accountsServer);
  const warning =
    !sandbox && answeredFrom && answeredFrom !== region
      ? `Your Zoho account lives in ${ZOHO_REGIONS[answeredFrom].label}, not the region chosen; Ledgerlink uses ${answeredFrom}.`
      : undefined;
  const connection = {
    tenantId: state.tenantId,
    region,
    accountsServer,
    apiDomain,
    ownClientId: state.ownClientId,
    ownClientSecretSealed: state.ownClientSecretSealed,
    refreshTokenSealed: encryptSecret(grant.refreshToken, keys, zohoBinding(state.tenantId, "refresh_token")),
    accessTokenSealed: encryptSecret(grant.accessToken, keys, zohoBinding(state.tenantId, "access_token")),
    accessTokenExpiresAt: grant.expiresAt,
    organizationId: null,
    organizationName: null,
    organizationPlan: null,
    state: "connected" as const,
    stateReason: null,
  };
  const replaced = await db.transaction(async (tx) => {
    const previous = await lockZohoConnection(tx, { tenantId: state.tenantId });
    await saveZohoConnection(tx, connection);
    await recordAudit(tx, {
      tenantId: state.tenantId,
      actor: input.actor,
      action: "zoho.connect",
      details: { region, ownApp: Boolean(state.ownClientId), ...(warning ? { warning } : {}) },
    });
    return previous;
  });
  forgetAccessToken(state.tenantId);
  // Zoho keeps 20 refresh tokens per user: the one replaced must not linger and push a live one out.
  const unrevoked = replaced ? await revokeStoredRefreshToken(replaced).catch((error: Error) => error.message) : null;
  const revokeWarning = unrevoked
    ? `The previous Zoho token could not be revoked (${unrevoked}); remove it under Zoho's Connected Apps.`
    : undefined;
  const warnings = [warning, revokeWarning].filter(Boolean).join(" ");
  return { tenantId: state.tenantId, warning: warnings || undefined };
}

/** Revokes the connection's refresh token with the app and accounts server that issued it; a refusal counts as done. */
export async function revokeStoredRefreshToken(connection: ZohoConnectionRow): Promise<void> {
  try {
    await revokeRefreshToken({
      fetch: zohoFetchFor(connection.tenantId)(connection.accountsServer),
      accountsServer: connection.accountsServer,
      ...appForConnection(connection),
      refreshToken: decryptSecret(
        connection.refreshTokenSealed,
        env().encryptionKeys,
        zohoBinding(connection.tenantId, "refresh_token"),
      ),
    });
  } catch (error) {
    // A token Zoho already refuses is as good as revoked.
    if (!(error instanceof ZohoTokenError && error.kind === "rejected")) throw error;
  }
}

/** A Books client for the tenant's connection; `organizationId` overrides the chosen one (the organization picker). */
export async function booksClientForTenant(
  db: Db,
  tenantId: string,
  options: { organizationId?: string } = {},
): Promise<ZohoBooksClient> {
  const connection = await getZohoConnection(db, { tenantId });
  if (!connection) throw new DomainError("BAD_REQUEST", "Zoho Books is not connected yet.");
  const organizationId = options.organizationId ?? connection.organizationId;
  if (!organizationId && options.organizationId === undefined)
    throw new DomainError("BAD_REQUEST", "Choose the Zoho organization first.");
  // The sandbox's minute may be scaled down; its limiter follows, so sandbox syncs stay just under its limit.
  const windowMs = connection.region === SANDBOX_REGION ? env().sandboxMinuteMs : ZOHO_LIMITS.windowMs;
  // The plan is known of the chosen organization only, as Zoho named it when it was chosen.
  const chosen = organizationId && organizationId === connection.organizationId ? organizationId : null;
  const limiter = new ZohoLimiter(db, {
    ...ZOHO_LIMITS,
    windowMs,
    marginMs: marginFor(windowMs),
    // A paid plan lets 10 calls run at once.
    concurrency: concurrencyForPlan(chosen ? (connection.organizationPlan ?? undefined) : undefined),
  });
  const context = { db, tenantId, appFor: appForConnection, fetchFor: zohoFetchFor(tenantId) };
  return new ZohoBooksClient({
    concurrencyRefused: chosen ? () => forgetOrganizationPlan(db, { tenantId, organizationId: chosen }) : undefined,
    apiDomain: connection.apiDomain,
    organizationId: organizationId ?? "",
    accessToken: (force) => accessToken(context, force),
    limiter,
    fetch: zohoFetchFor(tenantId)(connection.apiDomain),
  });
}

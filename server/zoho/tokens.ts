// Access tokens for a tenant's Zoho connection: stored sealed, cached in the process, refreshed shortly before expiry
// by one caller at a time.
import type { Db } from "@/db/client";
import {
  getZohoConnection,
  lockZohoConnection,
  markNeedsReconnect,
  storeAccessToken,
  type ZohoConnectionRow,
} from "@/db/queries/zoho";
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { zohoBinding } from "@/server/crypto/zoho-bindings";
import { env } from "@/server/env";
import { ZohoError } from "./errors";
import { refreshAccessToken, ZohoTokenError } from "./oauth";
import { cacheAccessToken, cachedAccessToken, forgetAccessToken } from "./token-cache";

/** Refresh this long before expiry, so a call never leaves with a token about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export type ZohoApp = { clientId: string; clientSecret: string };

export type TokenContext = {
  db: Db;
  tenantId: string;
  /** The app that holds the refresh token: the tenant's own, or the operator's shared one. */
  appFor: (connection: ZohoConnectionRow) => ZohoApp;
  fetchFor: (url: string) => typeof fetch;
  now?: () => number;
};

export class ZohoReconnectRequired extends ZohoError {
  constructor(reason: string) {
    super("unauthorized", `Zoho Books needs reconnecting: ${reason}`);
  }
}

/**
 * A valid access token. `force` refreshes even a fresh-looking one (after Zoho answered 401): callers that
 * waited on the lock then find the token the first caller stored, so twenty callers cause one refresh.
 */
export async function accessToken(
  context: TokenContext,
  options: { force?: boolean; rejected?: string } = {},
): Promise<string> {
  const now = context.now ?? Date.now;
  const keys = env().encryptionKeys;
  const { tenantId } = context;
  // The common case needs no lock, and usually no database: a fresh token is used; Zoho's 401 brings `force`.
  if (!options.force) {
    const cached = cachedAccessToken(tenantId, now());
    if (cached) return cached;
    const current = await getZohoConnection(context.db, { tenantId });
    const usableUntil = (current?.accessTokenExpiresAt?.getTime() ?? 0) - REFRESH_MARGIN_MS;
    if (current?.state === "connected" && current.accessTokenSealed && usableUntil > now()) {
      const token = decryptSecret(current.accessTokenSealed, keys, zohoBinding(tenantId, "access_token"));
      cacheAccessToken(tenantId, token, usableUntil);
      return token;
    }
  } else forgetAccessToken(tenantId, options.rejected);
  // The transaction returns the outcome instead of throwing, so a "needs reconnect" mark is committed.
  type Outcome = { token: string; expiresAt: Date } | { reconnect: string };
  const outcome = await context.db.transaction(async (tx): Promise<Outcome> => {
    const connection = await lockZohoConnection(tx, { tenantId: context.tenantId });
    if (!connection) throw new ZohoError("unauthorized", "Zoho Books is not connected.");
    if (connection.state === "needs_reconnect")
      throw new ZohoReconnectRequired(connection.stateReason ?? "the connection was revoked");
    const cached = connection.accessTokenSealed
      ? decryptSecret(connection.accessTokenSealed, keys, zohoBinding(context.tenantId, "access_token"))
      : null;
    const fresh =
      cached &&
      connection.accessTokenExpiresAt &&
      connection.accessTokenExpiresAt.getTime() - REFRESH_MARGIN_MS > now();
    // A forced refresh is skipped when another caller already replaced the token that was rejected.
    if (fresh && (!options.force || (options.rejected !== undefined && cached !== options.rejected)))
      return { token: cached, expiresAt: connection.accessTokenExpiresAt! };

    const app = context.appFor(connection);
    try {
      const grant = await refreshAccessToken({
        fetch: context.fetchFor(connection.accountsServer),
        accountsServer: connection.accountsServer,
        ...app,
        refreshToken: decryptSecret(
          connection.refreshTokenSealed,
          keys,
          zohoBinding(context.tenantId, "refresh_token"),
        ),
        now,
      });
      await storeAccessToken(tx, {
        tenantId: context.tenantId,
        accessTokenSealed: encryptSecret(grant.accessToken, keys, zohoBinding(context.tenantId, "access_token")),
        expiresAt: grant.expiresAt,
      });
      return { token: grant.accessToken, expiresAt: grant.expiresAt };
    } catch (error) {
      if (error instanceof ZohoTokenError && (error.kind === "rejected" || error.kind === "client")) {
        await markNeedsReconnect(tx, { tenantId: context.tenantId, reason: error.message });
        return { reconnect: error.message };
      }
      throw error instanceof ZohoTokenError ? new ZohoError("unauthorized", error.message) : error;
    }
  });
  if ("reconnect" in outcome) {
    forgetAccessToken(tenantId);
    throw new ZohoReconnectRequired(outcome.reconnect);
  }
  cacheAccessToken(tenantId, outcome.token, outcome.expiresAt.getTime() - REFRESH_MARGIN_MS);
  return outcome.token;
}

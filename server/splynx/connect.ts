// Builds the Splynx client for a tenant's stored connection: secrets unsealed, the right transport, shared nonces.
import type { Db } from "@/db/client";
import { databaseNonceSource, getSplynxConnection } from "@/db/queries/splynx";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { guardedFetch } from "@/server/net/url-guard";
import { isSandboxUrl, sandboxSplynxFetch } from "@/server/sandbox";
import { SplynxClient, type SplynxAuthMode } from "./client";
import { unsealSplynxCredentials } from "./credentials";

/** The transport for a base URL: the tenant's in-process sandbox, the URL guard, or plain fetch where it is off. */
export function splynxFetchFor(baseUrl: string, tenantId: string): typeof fetch {
  if (isSandboxUrl(baseUrl)) return sandboxSplynxFetch(tenantId);
  return env().urlGuard ? guardedFetch : fetch;
}

export function splynxClient(
  db: Db,
  {
    tenantId,
    ...connection
  }: { tenantId: string; baseUrl: string; authMode: SplynxAuthMode; apiKey: string; apiSecret: string },
) {
  return new SplynxClient({
    ...connection,
    fetch: splynxFetchFor(connection.baseUrl, tenantId),
    nonces: databaseNonceSource(db),
  });
}

export async function splynxClientForTenant(db: Db, tenantId: string): Promise<SplynxClient> {
  const connection = await getSplynxConnection(db, { tenantId });
  if (!connection)
    throw new DomainError("BAD_REQUEST", "Splynx is not connected yet: enter its URL, API key and secret first.");
  return splynxClient(db, {
    tenantId,
    baseUrl: connection.baseUrl,
    authMode: connection.authMode,
    ...unsealSplynxCredentials(connection),
  });
}

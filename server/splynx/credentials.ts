// Sealing and unsealing a tenant's Splynx credentials; the secret opens only for the host it was entered for.
import { decryptSecret, encryptSecret } from "@/server/crypto/secrets";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";

/** The scheme, host and port of a base URL: where a signed request or a token request would go. */
export function credentialHost(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.host}`;
}

export const keyBinding = (tenantId: string) => ({ tenantId, column: "splynx_connections.api_key" });
export const secretBinding = (tenantId: string, baseUrl: string) => ({
  tenantId,
  column: "splynx_connections.api_secret",
  host: credentialHost(baseUrl),
});

export const sealSplynxKey = (tenantId: string, apiKey: string) =>
  encryptSecret(apiKey, env().encryptionKeys, keyBinding(tenantId));

export const sealSplynxSecret = (tenantId: string, baseUrl: string, apiSecret: string) =>
  encryptSecret(apiSecret, env().encryptionKeys, secretBinding(tenantId, baseUrl));

/** The stored credentials in the clear; a secret moved to another row or URL fails to open rather than leave. */
export function unsealSplynxCredentials(connection: {
  tenantId: string;
  baseUrl: string;
  apiKeySealed: string;
  apiSecretSealed: string;
}) {
  const keys = env().encryptionKeys;
  const apiKey = decryptSecret(connection.apiKeySealed, keys, keyBinding(connection.tenantId));
  try {
    return {
      apiKey,
      apiSecret: decryptSecret(
        connection.apiSecretSealed,
        keys,
        secretBinding(connection.tenantId, connection.baseUrl),
      ),
    };
  } catch {
    throw new DomainError(
      "BAD_REQUEST",
      "The stored API secret was not entered for this Splynx URL: enter the API secret again.",
      "apiSecret",
    );
  }
}

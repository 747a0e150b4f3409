// A tenant connected to a Zoho simulator served over HTTP: tokens obtained through the real consent flow, stored sealed.
import type { Db } from "@/db/client";
import { saveZohoConnection } from "@/db/queries/zoho";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { encryptSecret } from "@/server/crypto/secrets";
import { zohoBinding } from "@/server/crypto/zoho-bindings";
import { env } from "@/server/env";
import { serveHttp } from "@/server/sandbox/http-adapter";
import { createZohoSimulator, type ZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { exchangeCode } from "../oauth";

export const FIXTURE_APP = { clientId: "fixture-client", clientSecret: "fixture-secret" };
export const ORGANIZATION = "2646610000000000001";

export async function startZoho(options: { windowMs?: number; contacts?: { name: string; email: string }[] } = {}) {
  let simulator!: ZohoSimulator;
  const server = await serveHttp((request) => simulator.handle(request));
  simulator = createZohoSimulator({
    accountsServer: server.url,
    apiDomain: server.url,
    windowMs: options.windowMs,
    contacts: options.contacts ?? [{ name: "Zoë O'Brien", email: "zoe@example.net" }],
    clients: [{ ...FIXTURE_APP, redirectUris: [] }],
  });
  return { simulator, server, url: server.url };
}

/** Consents as the simulator's user and exchanges the code, as the OAuth callback does. */
export async function consentAndExchange(url: string) {
  const params = new URLSearchParams({
    client_id: FIXTURE_APP.clientId,
    redirect_uri: "https://app.test/callback",
    scope: "ZohoBooks.fullaccess.all",
    response_type: "code",
    access_type: "offline",
    prompt: "consent",
    state: "x",
    decision: "accept",
    user: "books-admin@sandbox.example",
  });
  const redirect = await fetch(`${url}/oauth/v2/auth`, { method: "POST", body: params, redirect: "manual" });
  const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
  return exchangeCode({ fetch, accountsServer: url, ...FIXTURE_APP, code, redirectUri: "https://app.test/callback" });
}

export async function connectedTenant(db: Db, url: string, options: { expired?: boolean } = {}) {
  const owner = await makePerson(db, "zoho-owner");
  const tenant = await makeTenant(db, owner, "zoho");
  const grant = await consentAndExchange(url);
  const keys = env().encryptionKeys;
  await saveZohoConnection(db, {
    tenantId: tenant.id,
    region: "US",
    accountsServer: url,
    apiDomain: grant.apiDomain!,
    refreshTokenSealed: encryptSecret(grant.refreshToken!, keys, zohoBinding(tenant.id, "refresh_token")),
    accessTokenSealed: encryptSecret(grant.accessToken, keys, zohoBinding(tenant.id, "access_token")),
    accessTokenExpiresAt: options.expired ? new Date(Date.now() - 1000) : grant.expiresAt,
    organizationId: ORGANIZATION,
    organizationName: "Demo ISP Ltd",
  });
  return { tenant, grant };
}

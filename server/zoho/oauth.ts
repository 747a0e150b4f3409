// Zoho OAuth: the authorize URL, and token requests that recognise Zoho's errors (most arrive as HTTP 200 bodies).
import { ExternalServiceError } from "@/server/errors";
import { z } from "zod";

/** What the sync reads and writes, shown to the person before they consent. */
export const ZOHO_SCOPES = [
  "ZohoBooks.contacts.ALL",
  "ZohoBooks.invoices.ALL",
  "ZohoBooks.creditnotes.ALL",
  "ZohoBooks.customerpayments.ALL",
  "ZohoBooks.settings.READ",
  "ZohoBooks.accountants.READ",
  "ZohoBooks.banking.READ",
] as const;

/** Where Zoho sends people back after consent, on the app's origin; registered in the Zoho app as APP_URL + this. */
export const ZOHO_CALLBACK_PATH = "/api/zoho/callback";

export function authorizeUrl(input: {
  consentBase: string;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const params = new URLSearchParams({
    scope: ZOHO_SCOPES.join(","),
    client_id: input.clientId,
    response_type: "code",
    redirect_uri: input.redirectUri,
    // Without offline access Zoho issues no refresh token; consent is forced so a reconnect gets a new one.
    access_type: "offline",
    prompt: "consent",
    state: input.state,
  });
  return `${input.consentBase.replace(/\/+$/, "")}/oauth/v2/auth?${params.toString()}`;
}

export type TokenErrorKind = "rejected" | "client" | "throttled" | "unavailable";

export class ZohoTokenError extends ExternalServiceError {
  constructor(
    readonly kind: TokenErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ZohoTokenError";
  }
}

const granted = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

export type TokenGrant = { accessToken: string; refreshToken?: string; apiDomain?: string; expiresAt: Date };

type TokenCall = {
  fetch: typeof fetch;
  accountsServer: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
};

async function tokenRequest(call: TokenCall, path: string, params: Record<string, string>): Promise<unknown> {
  let response: Response;
  try {
    response = await call.fetch(`${call.accountsServer.replace(/\/+$/, "")}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ client_id: call.clientId, client_secret: call.clientSecret, ...params }).toString(),
      signal: AbortSignal.timeout(20_000),
      redirect: "manual",
    });
  } catch (error) {
    throw new ZohoTokenError("unavailable", `Zoho's accounts server could not be reached: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as { error?: string; error_description?: string } | null;
  if (body?.error === "Access Denied" || body?.error_description?.includes("too many requests")) {
    throw new ZohoTokenError(
      "throttled",
      body.error_description ?? "Zoho is throttling token requests; try again later.",
    );
  }
  if (body?.error === "invalid_client" || body?.error === "invalid_client_secret") {
    throw new ZohoTokenError(
      "client",
      body.error === "invalid_client"
        ? "Zoho does not know this client id in this data centre (invalid_client)."
        : "Zoho refused the client secret (invalid_client_secret).",
    );
  }
  if (body?.error) throw new ZohoTokenError("rejected", `Zoho refused the token request (${body.error}).`);
  if (!response.ok || !body)
    throw new ZohoTokenError("unavailable", `Zoho's accounts server answered ${response.status}.`);
  return body;
}

function readGrant(body: unknown, now: number): TokenGrant {
  const parsed = granted.safeParse(body);
  if (!parsed.success) throw new ZohoTokenError("unavailable", "Zoho's token response lacked the access token.");
  return {
    accessToken: parsed.data.access_token,
    refreshToken: parsed.data.refresh_token,
    apiDomain: parsed.data.api_domain,
    expiresAt: new Date(now + parsed.data.expires_in * 1000),
  };
}

export async function exchangeCode(call: TokenCall & { code: string; redirectUri: string }): Promise<TokenGrant> {
  const body = await tokenRequest(call, "/oauth/v2/token", {
    grant_type: "authorization_code",
    code: call.code,
    redirect_uri: call.redirectUri,
  });
  return readGrant(body, (call.now ?? Date.now)());
}

export async function refreshAccessToken(call: TokenCall & { refreshToken: string }): Promise<TokenGrant> {
  const body = await tokenRequest(call, "/oauth/v2/token", {
    grant_type: "refresh_token",
    refresh_token: call.refreshToken,
  }).catch((error: unknown) => {
    // Zoho answers invalid_code for a refresh token that no longer exists, whichever way it went.
    if (error instanceof ZohoTokenError && error.message.includes("(invalid_code)"))
      throw new ZohoTokenError(
        "rejected",
        "Zoho no longer accepts the stored refresh token (invalid_code): it was revoked in Zoho, or Zoho dropped it " +
          "because 20 newer ones were issued for the same Zoho user and app. Reconnect Zoho Books.",
      );
    throw error;
  });
  return readGrant(body, (call.now ?? Date.now)());
}

export async function revokeRefreshToken(call: TokenCall & { refreshToken: string }): Promise<void> {
  await tokenRequest(call, `/oauth/v2/token/revoke?token=${encodeURIComponent(call.refreshToken)}`, {});
}

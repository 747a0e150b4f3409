// Zoho's accounts server: the consent page, the token endpoint (codes, refreshes and their throttle) and revocation.
import { randomBytes } from "node:crypto";
import type { ZohoStore } from "./store";
import { escapeHtml } from "./web";

export type AccountsServerOptions = {
  /** The `accounts-server` value the consent redirect carries. */
  accountsServer: string;
  /** The `api_domain` token responses name. */
  apiDomain: string;
  now: () => number;
  tokenThrottle: { max: number; windowMs: number };
  count: (key: string) => void;
};

/** Reference §1.4: whether the cap is per user or per user and app is not stated; per user and app here. */
export const REFRESH_TOKENS_PER_USER = 20;

const zohoToken = () => `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;

export function createAccountsServer(store: ZohoStore, options: AccountsServerOptions) {
  const { now, count } = options;

  /** Query parameters, with a POST's form fields over them. */
  async function formParams(request: Request): Promise<URLSearchParams> {
    const params = new URL(request.url).searchParams;
    if (request.method === "POST") {
      const text = await request.text();
      for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
    }
    return params;
  }

  const html = (body: string, status: number) =>
    new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8" } });

  /**
   * The consent's refusal of an unknown client or an unregistered redirect URI, before any page or redirect. A path
   * registered alone stands for that path on the consent page's own origin (the sandbox serves whatever origin the app
   * runs on); a client registered with no URI at all (standalone simulators in tests) takes any.
   */
  function consentRefusal(params: URLSearchParams, request: Request): Response | undefined {
    const client = store.clients.get(params.get("client_id") ?? "");
    if (!client) return html("<h1>Invalid Client</h1><p>The client_id is not registered.</p>", 400);
    const redirectUri = params.get("redirect_uri") ?? "";
    const registered = client.redirectUris.map((uri) => new URL(uri, request.url).href);
    if (registered.length > 0 && !registered.includes(redirectUri)) return html("<h1>Invalid Redirect Uri</h1>", 400);
    return undefined;
  }

  function consentPage(params: URLSearchParams): Response {
    const client = store.clients.get(params.get("client_id") ?? "")!;
    const hidden = [...params]
      .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
      .join("");
    const users = [...store.users.keys()].map((user) => `<option>${escapeHtml(user)}</option>`).join("");
    const scopes = (params.get("scope") ?? "")
      .split(",")
      .map((scope) => `<li>${escapeHtml(scope)}</li>`)
      .join("");
    return html(
      `<!doctype html><html><head><title>Zoho Accounts (simulator)</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
<h1>Zoho Books (simulator)</h1><p><strong>${escapeHtml(client.clientId)}</strong> would like to access your Zoho Books data:</p><ul>${scopes}</ul>
<form method="post">${hidden}<label>Organization account <select name="user">${users}</select></label>
<p><button name="decision" value="accept">Accept</button> <button name="decision" value="reject">Reject</button></p></form></body></html>`,
      200,
    );
  }

  function consentDecision(params: URLSearchParams): Response {
    const redirect = new URL(params.get("redirect_uri") ?? "");
    const state = params.get("state");
    if (state) redirect.searchParams.set("state", state);
    if (params.get("decision") !== "accept") {
      redirect.searchParams.set("error", "access_denied");
      return Response.redirect(redirect.toString(), 302);
    }
    const code = zohoToken();
    store.grants.set(code, {
      code,
      clientId: params.get("client_id") ?? "",
      redirectUri: params.get("redirect_uri") ?? "",
      scope: params.get("scope") ?? "",
      user: params.get("user") ?? "",
      expiresAt: now() + 60_000,
      used: false,
      offline: params.get("access_type") === "offline",
    });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("location", "us");
    redirect.searchParams.set("accounts-server", options.accountsServer);
    return Response.redirect(redirect.toString(), 302);
  }

  /** Zoho keeps 20 refresh tokens per user (per app, here): the 21st silently deletes the oldest, even one in use. */
  function evictBeyondLimit(clientId: string, user: string) {
    const live = [...store.refreshTokens.values()].filter(
      (token) => !token.revoked && token.clientId === clientId && token.user === user,
    );
    for (const oldest of live.slice(0, Math.max(0, live.length - (REFRESH_TOKENS_PER_USER - 1))))
      store.refreshTokens.delete(oldest.token);
  }

  function issueAccessToken(refreshToken: string, scope: string, user: string) {
    const token = zohoToken();
    store.accessTokens.set(token, { token, refreshToken, scope, user, expiresAt: now() + 3_600_000 });
    return { access_token: token, scope, api_domain: options.apiDomain, token_type: "Bearer", expires_in: 3600 };
  }

  async function tokenEndpoint(request: Request): Promise<Response> {
    const params = await formParams(request);
    const client = store.clients.get(params.get("client_id") ?? "");
    // Zoho reports token errors in HTTP 200 bodies.
    if (!client) return Response.json({ error: "invalid_client" });
    if (client.clientSecret !== params.get("client_secret")) return Response.json({ error: "invalid_client_secret" });
    const grantType = params.get("grant_type");
    if (grantType === "authorization_code") {
      count("POST /oauth/v2/token (code)");
      const grant = store.grants.get(params.get("code") ?? "");
      const valid =
        grant &&
        !grant.used &&
        grant.expiresAt >= now() &&
        grant.clientId === client.clientId &&
        grant.redirectUri === params.get("redirect_uri");
      if (!grant || !valid) return Response.json({ error: "invalid_code" });
      grant.used = true;
      if (!grant.offline) return Response.json(issueAccessToken("", grant.scope, grant.user));
      const refresh = zohoToken();
      evictBeyondLimit(client.clientId, grant.user);
      store.refreshTokens.set(refresh, {
        token: refresh,
        clientId: client.clientId,
        scope: grant.scope,
        user: grant.user,
        revoked: false,
        requests: [],
      });
      return Response.json({ ...issueAccessToken(refresh, grant.scope, grant.user), refresh_token: refresh });
    }
    if (grantType === "refresh_token") {
      count("POST /oauth/v2/token (refresh)");
      const refresh = store.refreshTokens.get(params.get("refresh_token") ?? "");
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId)
        return Response.json({ error: "invalid_code" });
      const { max, windowMs } = options.tokenThrottle;
      refresh.requests = refresh.requests.filter((time) => time > now() - windowMs);
      if (refresh.requests.length >= max) {
        const throttled = {
          error_description: "You have made too many requests continuously. Please try again after some time.",
          error: "Access Denied",
          status: "failure",
        };
        return Response.json(throttled, { status: 400 });
      }
      refresh.requests.push(now());
      return Response.json(issueAccessToken(refresh.token, refresh.scope, refresh.user));
    }
    return Response.json({ error: "unsupported_grant_type" });
  }

  async function revokeEndpoint(request: Request): Promise<Response> {
    const params = await formParams(request);
    count("POST /oauth/v2/token/revoke");
    const refresh = store.refreshTokens.get(params.get("token") ?? "");
    if (refresh) {
      refresh.revoked = true;
      for (const [token, access] of store.accessTokens)
        if (access.refreshToken === refresh.token) store.accessTokens.delete(token);
    }
    return Response.json({ status: "success" });
  }

  /** Answers the accounts server's paths; undefined for any other path. */
  async function handle(request: Request, path: string): Promise<Response | undefined> {
    if (path.endsWith("/oauth/v2/auth")) {
      const params = await formParams(request);
      const refused = consentRefusal(params, request);
      if (refused) return refused;
      return request.method === "POST" ? consentDecision(params) : consentPage(params);
    }
    if (path.endsWith("/oauth/v2/token")) return tokenEndpoint(request);
    if (path.endsWith("/oauth/v2/token/revoke")) return revokeEndpoint(request);
    return undefined;
  }

  return { handle };
}

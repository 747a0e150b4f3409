// Splynx's three ways in: signed API-key headers (with the nonce check), access tokens from admin/auth/tokens, Basic auth.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { splynxSignature } from "@/server/splynx/signature";
import type { ApiKey, SplynxStore } from "./store";

/** Splynx's error body: `{error: {message, code, internal_code}}`. */
export function errorBody(status: number, internalCode: string, message: string): Response {
  return Response.json({ error: { message, code: status, internal_code: internalCode } }, { status });
}

export type AuthOptions = {
  now: () => Date;
  accessTokenSeconds: number;
  /** Answers every access token as expired (a fault the tests switch on). */
  tokensExpired: () => boolean;
  count: (method: string, template: string) => void;
};

export function createAuth(store: SplynxStore, options: AuthOptions) {
  const { now, count } = options;
  const seconds = () => now().getTime() / 1000;

  function issueTokens(key: string) {
    const issued = Math.floor(seconds());
    const token = {
      access: randomBytes(16).toString("hex"),
      refresh: randomBytes(16).toString("hex"),
      accessExpires: issued + options.accessTokenSeconds,
      refreshExpires: issued + 30 * 86_400,
      key,
    };
    store.tokens.set(token.access, token);
    store.tokens.set(`refresh:${token.refresh}`, token);
    return {
      access_token: token.access,
      access_token_expiration: token.accessExpires,
      refresh_token: token.refresh,
      refresh_token_expiration: token.refreshExpires,
    };
  }

  /** Checks key, signature and (when the key asks for it) that the nonce increases. */
  function verifySignature(keyValue: string, nonceText: string, signature: string): ApiKey | Response {
    const apiKey = store.apiKeys.get(keyValue);
    if (!apiKey) return errorBody(401, "UNAUTHORIZED", "API key is not valid");
    if (!/^\d+$/.test(nonceText)) return errorBody(401, "UNAUTHORIZED", "Nonce is not valid");
    const expected = Buffer.from(splynxSignature({ key: apiKey.key, secret: apiKey.secret, nonce: BigInt(nonceText) }));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return errorBody(401, "UNAUTHORIZED", "Signature is not valid");
    const nonce = BigInt(nonceText);
    if (apiKey.checkNonce && nonce <= apiKey.lastNonce)
      return errorBody(401, "UNAUTHORIZED", "Nonce is not valid: it must be greater than the last one used");
    if (nonce > apiKey.lastNonce) apiKey.lastNonce = nonce;
    return apiKey;
  }

  function authenticate(request: Request): ApiKey | Response {
    const header = request.headers.get("authorization");
    if (!header) return errorBody(401, "MISSED_AUTHORIZATION_HEADER", "Authorization header is missed");
    if (header.startsWith("Basic ")) {
      const [keyValue, ...secretParts] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":");
      const apiKey = store.apiKeys.get(keyValue ?? "");
      if (!apiKey || apiKey.secret !== secretParts.join(":") || !apiKey.unsecureAccess)
        return errorBody(401, "UNAUTHORIZED", "Unauthorized");
      return apiKey;
    }
    const match = /^Splynx-EA \((.*)\)$/.exec(header.trim());
    if (!match) return errorBody(401, "UNAUTHORIZED", "Unauthorized");
    const params = new URLSearchParams(match[1]);
    if (params.has("access_token")) {
      const accessToken = params.get("access_token") ?? "";
      if (!accessToken) return errorBody(401, "EMPTY_ACCESS_TOKEN", "Access token is missed");
      const token = store.tokens.get(accessToken);
      if (!token) return errorBody(401, "UNAUTHORIZED", "Access token is not valid");
      if (options.tokensExpired() || token.accessExpires <= seconds())
        return errorBody(401, "EXPIRED_ACCESS_TOKEN", "Access token expired");
      return store.apiKeys.get(token.key)!;
    }
    return verifySignature(params.get("key") ?? "", params.get("nonce") ?? "", params.get("signature") ?? "");
  }

  /** admin/auth/tokens: create with a signed key, renew or delete by refresh token. */
  async function tokenEndpoint(request: Request, rest: string): Promise<Response> {
    if (request.method === "POST" && rest === "") {
      count("POST", "admin/auth/tokens");
      const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
      if (body.auth_type !== "api_key")
        return errorBody(
          401,
          body.auth_type ? "UNAUTHORIZED" : "INVALID_AUTH_TYPE",
          body.auth_type ? "Unauthorized" : "Invalid authentication type",
        );
      const verified = verifySignature(String(body.key ?? ""), String(body.nonce ?? ""), String(body.signature ?? ""));
      if (verified instanceof Response) return verified;
      return Response.json({ ...issueTokens(verified.key), permissions: [] }, { status: 201 });
    }
    if (rest === "") return errorBody(405, "METHOD_NOT_ALLOWED", "Method not allowed");
    count(request.method, "admin/auth/tokens/{refresh_token}");
    const token = store.tokens.get(`refresh:${rest}`);
    if (!token) return errorBody(404, "NOT_FOUND", "Refresh token not found");
    if (request.method === "DELETE") {
      store.tokens.delete(token.access);
      store.tokens.delete(`refresh:${token.refresh}`);
      return new Response(null, { status: 204 });
    }
    if (token.refreshExpires <= seconds()) return errorBody(401, "EXPIRED_REFRESH_TOKEN", "Refresh token expired");
    store.tokens.delete(token.access);
    store.tokens.delete(`refresh:${token.refresh}`);
    return Response.json(issueTokens(token.key));
  }

  return { authenticate, tokenEndpoint };
}

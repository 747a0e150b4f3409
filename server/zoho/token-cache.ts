// Access tokens kept in this process until shortly before they expire, so a Zoho call needs no database read for one.
// Refreshing stays with tokens.ts, under the connection's row lock: still one caller at a time across processes.

type Cached = { token: string; usableUntil: number };

// Shared by every bundle of the process (route handlers, jobs), as the Splynx nonce lanes are.
const holder = globalThis as { ledgerlinkZohoTokens?: Map<string, Cached> };
holder.ledgerlinkZohoTokens ??= new Map();
const tokens = holder.ledgerlinkZohoTokens;

/** The tenant's cached access token while it is still usable at `now`. */
export function cachedAccessToken(tenantId: string, now: number): string | undefined {
  const cached = tokens.get(tenantId);
  return cached && cached.usableUntil > now ? cached.token : undefined;
}

/** Keeps a token until `usableUntil` (its expiry less the refresh margin). */
export function cacheAccessToken(tenantId: string, token: string, usableUntil: number): void {
  tokens.set(tenantId, { token, usableUntil });
}

/** Drops the tenant's token: Zoho refused it, or the connection was replaced, marked or removed. */
export function forgetAccessToken(tenantId: string, token?: string): void {
  if (token === undefined || tokens.get(tenantId)?.token === token) tokens.delete(tenantId);
}

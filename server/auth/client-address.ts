// The client's address: the hop that the configured number of trusted proxies reported, never a value the client wrote.
import { env } from "@/server/env";

/** Set on every request from the socket itself (see `peer-address.ts`); a client's own value is overwritten. */
export const PEER_ADDRESS_HEADER = "x-ledgerlink-peer-address";

/**
 * With N trusted proxies, the address N hops before the socket's peer in X-Forwarded-For (each proxy appends the
 * address it saw); with none, the peer itself. Entries further left were written by the client and are ignored.
 */
export function clientAddress(headers: Headers, trustedProxies = env().trustedProxies): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER);
  if (!peer) return null;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
}

// Server-side requests to tenant-typed URLs: https to public addresses only, checked after DNS and on every connection.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";

export class UrlRefused extends Error {}

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32], ["100::", 64]] as const) blocked.addSubnet(network, prefix, "ipv6");

/** Whether an address is loopback, private, link-local (cloud metadata), reserved or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the IPv4 address they carry.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return blocked.check(embedded, "ipv4");
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const value = (parseInt(mappedHex[1]!, 16) << 16) | parseInt(mappedHex[2]!, 16);
    return blocked.check([24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join("."), "ipv4");
  }
  return blocked.check(address, "ipv6");
}

/** Refuses a URL that is not https (or has credentials) before any connection is made. */
export function assertAllowedUrl(url: URL): void {
  if (url.protocol !== "https:") throw new UrlRefused("Only https:// URLs are allowed.");
  if (url.username || url.password) throw new UrlRefused("The URL must not contain a user name or password.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host)) throw new UrlRefused(`${host} is not a public address.`);
}

// Every connection resolves through this check, so the address used is the address checked (no DNS rebinding).
function guardedLookup(hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const list = addresses as LookupAddress[];
    const refused = list.find((entry) => isPrivateAddress(entry.address));
    if (refused || list.length === 0) return callback(new UrlRefused(`${hostname} resolves to ${refused?.address ?? "nothing"}, which is not a public address.`), []);
    const all = (options as { all?: boolean }).all;
    return all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family);
  });
}

const agent = new Agent({ connect: { lookup: guardedLookup as never } });

/** A fetch for tenant-supplied URLs: https only, public addresses only, redirects answered, not followed. */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  assertAllowedUrl(url);
  try {
    const response = await undiciFetch(url, { ...(init as object), redirect: "manual", dispatcher: agent });
    return response as unknown as Response;
  } catch (error) {
    for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
      if (cause instanceof UrlRefused) throw cause;
    }
    throw error;
  }
};

// Server-side requests to tenant-typed URLs: https to public addresses only, checked before and on every connection.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";

export class UrlRefused extends Error {}

const blockedIpv4 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blockedIpv4.addSubnet(network, prefix, "ipv4");

// Inside global unicast (2000::/3, the only IPv6 space routed on the internet): IETF protocol assignments (Teredo among
// them), documentation, and the newer documentation block.
const blockedIpv6 = new BlockList();
for (const [network, prefix] of [
  ["2001::", 23],
  ["2001:db8::", 32],
  ["3fff::", 20],
] as const)
  blockedIpv6.addSubnet(network, prefix, "ipv6");

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part included, a zone id ignored). */
function ipv6Groups(address: string): number[] {
  let text = address.split("%")[0]!;
  const last = text.slice(text.lastIndexOf(":") + 1);
  if (last.includes(".")) {
    const [a, b, c, d] = last.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -last.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const [head, tail] = text.split("::");
  const [before, after] = [groups(head), groups(tail)];
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

const ipv4In = (groups: number[], at: number) =>
  [groups[at]! >> 8, groups[at]! & 255, groups[at + 1]! >> 8, groups[at + 1]! & 255].join(".");

/** Whether an address is loopback, private, link-local (cloud metadata), reserved or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blockedIpv4.check(address, "ipv4");
  if (family !== 6) return true;
  const groups = ipv6Groups(address);
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  // These forms reach the IPv4 address they carry: IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d,
  // NAT64's well-known prefix 64:ff9b::/96, and 6to4 2002:aabb:ccdd::/48 (through the relay at that address).
  if (zero(0, 5) && groups[5] === 0xffff) return isPrivateAddress(ipv4In(groups, 6));
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0) return isPrivateAddress(ipv4In(groups, 6));
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return isPrivateAddress(ipv4In(groups, 6));
  if (groups[0] === 0x2002) return isPrivateAddress(ipv4In(groups, 1));
  // Everything else outside 2000::/3 is not public: unspecified, loopback, IPv4-compatible, local-use NAT64, unique
  // local, link-local, site-local, multicast, discard-only, SRv6 and the reserved rest.
  if (groups[0]! >> 13 !== 1) return true;
  return blockedIpv6.check(address.split("%")[0]!, "ipv6");
}

/** An IP address written as a URL host (an IPv6 one in brackets), or null for a host name. */
function literalAddress(host: string): string | null {
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  return isIP(bare) ? bare : null;
}

/** Refuses a URL that is not https (or has credentials) before any connection is made. */
export function assertAllowedUrl(url: URL): void {
  if (url.protocol !== "https:") throw new UrlRefused("Only https:// URLs are allowed.");
  if (url.username || url.password) throw new UrlRefused("The URL must not contain a user name or password.");
  // The URL parser has already turned 2130706433, 0x7f.1 or 017700000001 into 127.0.0.1.
  const address = literalAddress(url.hostname);
  if (address && isPrivateAddress(address)) throw new UrlRefused(`${address} is not a public address.`);
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;
type Resolve = (
  hostname: string,
  options: { all: true },
  callback: (error: Error | null, addresses: LookupAddress[]) => void,
) => void;

/** A `lookup` for sockets that answers only with public addresses: one private answer refuses the host. */
export function publicLookup(resolve: Resolve) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((entry) => isPrivateAddress(entry.address));
      if (refused || addresses.length === 0)
        return callback(
          new UrlRefused(`${hostname} resolves to ${refused?.address ?? "nothing"}, which is not a public address.`),
          [],
        );
      return (options as { all?: boolean }).all
        ? callback(null, addresses)
        : callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

const connectAfterLookup = buildConnector({ lookup: publicLookup(dnsLookup as unknown as Resolve) as never });

/**
 * Every connection passes here, so the address used is the address checked (no DNS rebinding). A socket skips DNS for
 * an IP literal, so a literal is checked here itself rather than trusted to a check made earlier.
 */
const connectToPublic: buildConnector.connector = (options, callback) => {
  const address = literalAddress(options.hostname);
  if (address && isPrivateAddress(address))
    return callback(new UrlRefused(`${address} is not a public address.`), null);
  return connectAfterLookup(options, callback);
};

/** The dispatcher behind `guardedFetch`; its connection check stands even where the URL check was skipped. */
export const guardedDispatcher = new Agent({ connect: connectToPublic });

/** A fetch for tenant-supplied URLs: https only, public addresses only, redirects answered, not followed. */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  assertAllowedUrl(url);
  try {
    const response = await undiciFetch(url, { ...(init as object), redirect: "manual", dispatcher: guardedDispatcher });
    return response as unknown as Response;
  } catch (error) {
    throw refusalIn(error) ?? error;
  }
};

/** The UrlRefused somewhere in an error's cause chain. */
export function refusalIn(error: unknown): UrlRefused | undefined {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof UrlRefused) return cause;
  }
  return undefined;
}

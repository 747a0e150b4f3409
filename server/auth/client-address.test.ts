// The client address never comes from what the client wrote, whatever it puts in X-Forwarded-For.
import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

const request = (peer: string | null, forwardedFor?: string) => {
  const headers = new Headers(forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor });
  if (peer) headers.set(PEER_ADDRESS_HEADER, peer);
  return headers;
};

describe("clientAddress", () => {
  it("with no trusted proxy, is the socket's peer, whatever X-Forwarded-For claims", () => {
    expect(clientAddress(request("198.51.100.7", "203.0.113.1"), 0)).toBe("198.51.100.7");
    expect(clientAddress(request("198.51.100.7", "203.0.113.1, 203.0.113.2"), 0)).toBe("198.51.100.7");
    expect(clientAddress(request("198.51.100.7"), 0)).toBe("198.51.100.7");
  });

  it("behind N trusted proxies, is the entry the outermost proxy appended, not the client's own entries", () => {
    // client wrote "1.1.1.1"; the edge proxy appended the client's real address; the inner proxy appended the edge's.
    const headers = request("10.0.0.2", "1.1.1.1, 198.51.100.9, 10.0.0.1");
    expect(clientAddress(headers, 1)).toBe("10.0.0.1");
    expect(clientAddress(headers, 2)).toBe("198.51.100.9");
    expect(clientAddress(request("10.0.0.1", "1.1.1.1, 198.51.100.9"), 1)).toBe("198.51.100.9");
  });

  it("takes the furthest hop when there are fewer than the proxies configured, and nothing without a peer", () => {
    expect(clientAddress(request("10.0.0.1", "198.51.100.9"), 5)).toBe("198.51.100.9");
    expect(clientAddress(request("10.0.0.1"), 1)).toBe("10.0.0.1");
    expect(clientAddress(request(null, "203.0.113.1"), 0)).toBeNull();
  });
});

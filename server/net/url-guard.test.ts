// The URL guard refuses what is not public twice: on the URL before connecting, and on the address at connect time.
import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fetch as undiciFetch } from "undici";

// Imported afresh for this file, so what the module builds as it loads (its address tables, its dispatcher) is built
// by the code under test on every run, mutation testing included.
let guard: typeof import("./url-guard");
beforeAll(async () => {
  vi.resetModules();
  // A module that fails to load fails every test below rather than this hook (a failed hook runs no test at all).
  guard = await import("./url-guard").catch(() => undefined as never);
});

// Loopback, private, link-local, CGNAT, reserved and the cloud metadata address, in every way an address can be written.
const NOT_PUBLIC = [
  "127.0.0.1",
  "127.255.255.254",
  "10.1.2.3",
  "172.16.0.1",
  "172.31.255.255",
  "192.168.1.1",
  "169.254.169.254",
  "169.254.0.1",
  "100.64.0.1",
  "100.127.255.255",
  "0.0.0.0",
  "0.1.2.3",
  "192.0.0.8",
  "192.0.2.1",
  "192.88.99.1",
  "198.18.0.1",
  "198.51.100.7",
  "203.0.113.9",
  "224.0.0.1",
  "240.0.0.1",
  "255.255.255.255",
  "::",
  "::1",
  "fc00::1",
  "fd00:ec2::254",
  "fe80::1",
  "fe80::1%eth0",
  "febf::1",
  "fec0::1",
  "ff02::1",
  "2001:db8::1",
  "100::1",
  "2001::1",
  "2001:0:4136:e378:8000:63bf:3fff:fdd2",
  "2001:1ff:ffff::1",
  "3fff::1",
  "3fff:fff::1",
  "5f00::1",
  "1fff:ffff::1",
  "4000::1",
  "64:ff9a::1",
  "65:ff9b::808:808",
  "64:ff9a::808:808",
  "64:ff9b::1:0:808:808",
  // IPv4-mapped, IPv4-translated and IPv4-compatible forms, dotted and in hex.
  "::ffff:127.0.0.1",
  "::ffff:7f00:1",
  "::FFFF:7F00:1",
  "::ffff:169.254.169.254",
  "::ffff:a9fe:a9fe",
  "::ffff:10.0.0.1",
  "::ffff:0:127.0.0.1",
  "::ffff:0:7f00:1",
  "::7f00:1",
  "::127.0.0.1",
  "::8.8.8.8",
  "0:0:0:0:0:0:0:1",
  "::ffff:192.0.2.1",
  "::ffff:1:808:808",
  // NAT64: the well-known prefix carrying a private address, and the local-use prefix whatever it carries.
  "64:ff9b::127.0.0.1",
  "64:ff9b::7f00:1",
  "64:ff9b::a9fe:a9fe",
  "64:ff9b::10.0.0.1",
  "64:ff9b:1::a00:1",
  "64:ff9b:1::808:808",
  "64:ff9b:1:ffff::1",
  // 6to4 through a private relay address.
  "2002:7f00:1::1",
  "2002:a00:1::",
  "2002:c000:201::",
  // Not an address at all, though some look like one.
  "localhost",
  "",
  "2130706433",
  "not an address",
  "2606:4700:4700::1111x",
  "8.8.8.8.8",
];
const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "151.101.1.69",
  "100.63.255.255",
  "100.128.0.0",
  "172.32.0.1",
  "169.253.255.255",
  "192.0.1.1",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2606:4700:4700::1111%eth0",
  "2a00:1450:4001:81c::200e",
  "2000::1",
  "3ffe::1",
  "3fff:1000::1",
  "2001:200::1",
  "2001:4860::8888",
  "::ffff:8.8.8.8",
  "::ffff:808:808",
  "::ffff:151.101.129.223",
  "::ffff:0:808:808",
  "64:ff9b::8.8.8.8",
  "64:ff9b::808:808",
  "64:ff9b::151.101.129.223",
  "2002:808:808::1",
  "2002:9765:81df::1",
];

// As a person would type them into the Splynx URL field: the parser turns the numeric IPv4 forms into 127.0.0.1.
const LITERAL_HOSTS = [
  "127.0.0.1",
  "2130706433",
  "0x7f.1",
  "0x7f000001",
  "017700000001",
  "0177.0.0.1",
  "127.1",
  "0",
  "10.0.0.1",
  "172.16.0.1",
  "192.168.0.1",
  "169.254.169.254",
  "100.64.0.1",
  "[::1]",
  "[::]",
  "[fe80::1]",
  "[fc00::1]",
  "[fd00:ec2::254]",
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "[::7f00:1]",
  "[::127.0.0.1]",
  "[::ffff:169.254.169.254]",
  "[64:ff9b::127.0.0.1]",
  "[64:ff9b::7f00:1]",
  "[64:ff9b:1::a00:1]",
  "[64:ff9b:1::8.8.8.8]",
  "[::ffff:0:127.0.0.1]",
  "[2002:7f00:1::]",
];

describe("isPrivateAddress", () => {
  it.each(NOT_PUBLIC)("refuses %s", (address) => {
    expect(guard.isPrivateAddress(address)).toBe(true);
  });

  it.each(PUBLIC)("allows %s", (address) => {
    expect(guard.isPrivateAddress(address)).toBe(false);
  });
});

describe("the module", () => {
  it("builds its address tables as it loads, in a test of its own so a failure to load fails a test", async () => {
    vi.resetModules();
    const loaded = await import("./url-guard");
    expect(["10.0.0.1", "2001:db8::1", "8.8.8.8", "2606:4700:4700::1111"].map(loaded.isPrivateAddress)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("assertAllowedUrl, before any connection", () => {
  it.each(LITERAL_HOSTS)("refuses https://%s/ naming the address", (host) => {
    const url = new URL(`https://${host}:8443/api/2.0/`);
    const address = url.hostname.replace(/^\[|\]$/g, "");
    expect(() => guard.assertAllowedUrl(url)).toThrow(new guard.UrlRefused(`${address} is not a public address.`));
  });

  it("reads 2130706433, 0x7f.1 and 017700000001 as 127.0.0.1, as the socket would", () => {
    for (const host of ["2130706433", "0x7f.1", "017700000001"]) {
      expect(() => guard.assertAllowedUrl(new URL(`https://${host}/`)), host).toThrow(
        new guard.UrlRefused("127.0.0.1 is not a public address."),
      );
    }
  });

  it("refuses plain http and credentials, and lets a public name or address through", () => {
    expect(() => guard.assertAllowedUrl(new URL("http://isp.splynx.app"))).toThrow(
      new guard.UrlRefused("Only https:// URLs are allowed."),
    );
    expect(() => guard.assertAllowedUrl(new URL("http://8.8.8.8"))).toThrow(
      new guard.UrlRefused("Only https:// URLs are allowed."),
    );
    expect(() => guard.assertAllowedUrl(new URL("https://user:pw@isp.splynx.app"))).toThrow(
      new guard.UrlRefused("The URL must not contain a user name or password."),
    );
    expect(() => guard.assertAllowedUrl(new URL("https://user@isp.splynx.app"))).toThrow(
      new guard.UrlRefused("The URL must not contain a user name or password."),
    );
    expect(() => guard.assertAllowedUrl(new URL("https://:pw@isp.splynx.app"))).toThrow(
      new guard.UrlRefused("The URL must not contain a user name or password."),
    );
    for (const url of [
      "https://isp.splynx.app/api/2.0",
      "https://8.8.8.8/",
      "https://[2606:4700:4700::1111]/",
      "https://[::ffff:808:808]/",
      "https://127.0.0.1.nip.io/",
    ]) {
      expect(guard.assertAllowedUrl(new URL(url)), url).toBeUndefined();
    }
  });
});

describe("publicLookup, at connect time for host names", () => {
  const resolving = (addresses: LookupAddress[], error: Error | null = null) => {
    const asked: { hostname: string; options: object }[] = [];
    const lookup = guard.publicLookup((hostname, options, callback) => {
      asked.push({ hostname, options });
      callback(error, addresses);
    });
    const answer = (options: object) =>
      new Promise<unknown[]>((resolve) => lookup("isp.example", options, (...args) => resolve(args)));
    return { asked, answer };
  };

  it("answers with the public addresses, one or all as the socket asked, and always asks the resolver for all", async () => {
    const addresses = [
      { address: "2606:4700:4700::1111", family: 6 },
      { address: "1.1.1.1", family: 4 },
    ];
    const { asked, answer } = resolving(addresses);
    expect(await answer({})).toEqual([null, "2606:4700:4700::1111", 6]);
    expect(await answer({ all: true })).toEqual([null, addresses]);
    expect(asked).toEqual([
      { hostname: "isp.example", options: { all: true } },
      { hostname: "isp.example", options: { all: true } },
    ]);
  });

  it("refuses the host when any of its addresses is private, or it has none", async () => {
    const mixed = resolving([
      { address: "1.1.1.1", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ]);
    const [refused, none] = await mixed.answer({ all: true });
    expect(refused).toEqual(
      new guard.UrlRefused("isp.example resolves to 169.254.169.254, which is not a public address."),
    );
    expect(none).toEqual([]);
    const [empty] = await resolving([]).answer({});
    expect(empty).toEqual(new guard.UrlRefused("isp.example resolves to nothing, which is not a public address."));
  });

  it("passes the resolver's own error on", async () => {
    const failure = Object.assign(new Error("getaddrinfo ENOTFOUND isp.example"), { code: "ENOTFOUND" });
    expect(await resolving([], failure).answer({})).toEqual([failure, []]);
  });
});

describe("the guarded connection, against listeners on this machine", () => {
  const servers: Server[] = [];
  const accepted = { count: 0 };
  let port = 0;

  beforeAll(async () => {
    // One port on both loopbacks: a connection that got through would be counted here.
    const v4 = createServer((socket) => {
      accepted.count++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => v4.listen(0, "127.0.0.1", resolve));
    port = (v4.address() as { port: number }).port;
    servers.push(v4);
    const v6 = createServer((socket) => {
      accepted.count++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => v6.once("error", () => resolve()).listen(port, "::1", resolve));
    servers.push(v6);
  });
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  it.each(["127.0.0.1", "2130706433", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"])(
    "refuses https://%s at connect time even when the URL check is skipped",
    async (host) => {
      const before = accepted.count;
      const address = new URL(`https://${host}/`).hostname.replace(/^\[|\]$/g, "");
      const error = await undiciFetch(`https://${host}:${port}/`, { dispatcher: guard.guardedDispatcher }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(guard.refusalIn(error)).toEqual(new guard.UrlRefused(`${address} is not a public address.`));
      const plain = await undiciFetch(`http://${host}:${port}/`, { dispatcher: guard.guardedDispatcher }).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(guard.refusalIn(plain)).toEqual(new guard.UrlRefused(`${address} is not a public address.`));
      expect(accepted.count).toBe(before);
    },
  );

  it("refuses through guardedFetch, before connecting, with the guard's own error", async () => {
    const before = accepted.count;
    await expect(guard.guardedFetch(`https://127.0.0.1:${port}/api/2.0/admin/api/check`)).rejects.toThrow(
      new guard.UrlRefused("127.0.0.1 is not a public address."),
    );
    await expect(guard.guardedFetch(`https://[::ffff:7f00:1]:${port}/`)).rejects.toThrow(
      new guard.UrlRefused("::ffff:7f00:1 is not a public address."),
    );
    await expect(guard.guardedFetch(`https://localhost:${port}/`)).rejects.toThrow(
      /^localhost resolves to (127\.0\.0\.1|::1), which is not a public address\.$/,
    );
    await expect(guard.guardedFetch(new Request(`https://localhost:${port}/`))).rejects.toBeInstanceOf(
      guard.UrlRefused,
    );
    expect(accepted.count).toBe(before);
  });

  it("reaches a listener through the same connector when the guard is not in the way, so the refusals above are the guard's", async () => {
    const before = accepted.count;
    const response = await undiciFetch(`http://127.0.0.1:${port}/`).then(
      () => "answered",
      (error: Error) => (error.cause as { code?: string } | undefined)?.code ?? error.message,
    );
    expect(response).not.toBe("ECONNREFUSED");
    expect(accepted.count).toBe(before + 1);
  });
});

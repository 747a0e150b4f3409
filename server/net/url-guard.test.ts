import { describe, expect, it } from "vitest";
import { assertAllowedUrl, guardedFetch, isPrivateAddress, UrlRefused } from "./url-guard";

describe("URL guard", () => {
  it("knows private, loopback, link-local and reserved addresses in both families", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fd00:ec2::254", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::10.0.0.1"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "151.101.1.69", "2606:4700:4700::1111"]) expect(isPrivateAddress(address), address).toBe(false);
  });

  it("refuses plain http, credentials in the URL and literal private addresses before connecting", () => {
    expect(() => assertAllowedUrl(new URL("http://isp.splynx.app"))).toThrow("Only https://");
    expect(() => assertAllowedUrl(new URL("https://user:pw@isp.splynx.app"))).toThrow("user name or password");
    expect(() => assertAllowedUrl(new URL("https://169.254.169.254/latest/meta-data"))).toThrow("not a public address");
    expect(() => assertAllowedUrl(new URL("https://[::1]:8443/"))).toThrow("not a public address");
    expect(() => assertAllowedUrl(new URL("https://isp.splynx.app"))).not.toThrow();
  });

  it("refuses a host name that resolves to a private address, at connection time", async () => {
    await expect(guardedFetch("https://localhost:8443/api/2.0/admin/api/check")).rejects.toBeInstanceOf(UrlRefused);
    await expect(guardedFetch("https://localhost:8443/")).rejects.toThrow("not a public address");
  });
});

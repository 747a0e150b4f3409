import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  it("keeps a path on this site, normalised as the browser will read it", () => {
    expect(safeCallbackPath("/t/acme/settings?tab=payments#export")).toBe("/t/acme/settings?tab=payments#export");
    expect(safeCallbackPath("/invite/abc")).toBe("/invite/abc");
    expect(safeCallbackPath("/a/../t/acme")).toBe("/t/acme");
  });

  it("refuses every way of leaving the site", () => {
    const attacks = [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "\\\\evil.example",
      "https://evil.example",
      "https:evil.example",
      "javascript:alert(1)",
      " /t/acme",
      "evil.example",
      "",
      "///evil.example",
      "/%2F/evil.example/..//x",
    ];
    expect(attacks).toHaveLength(15);
    for (const attack of attacks) {
      const path = safeCallbackPath(attack);
      expect(new URL(path, "https://ledgerlink.example").origin, JSON.stringify(attack)).toBe(
        "https://ledgerlink.example",
      );
      expect(path.startsWith("//"), JSON.stringify(attack)).toBe(false);
    }
    expect(attacks.slice(0, 13).map((attack) => safeCallbackPath(attack))).toEqual(Array(13).fill("/"));
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath(["/t/acme"])).toBe("/");
    expect(safeCallbackPath(`/t/${"a".repeat(2046)}`)).toBe("/");
    expect(safeCallbackPath(`/t/${"a".repeat(2045)}`)).toBe(`/t/${"a".repeat(2045)}`);
  });

  it("takes an absolute URL only on this site's own origin, as next-auth passes them", () => {
    const origin = "http://localhost:3200";
    expect(safeCallbackPath("http://localhost:3200/t/acme", origin)).toBe("/t/acme");
    expect(safeCallbackPath("http://localhost:3200.evil.example/t", origin)).toBe("/");
    expect(safeCallbackPath("http://localhost:3201/t", origin)).toBe("/");
    expect(safeCallbackPath("http://localhost:3200/\t/evil.example", origin)).toBe("/");
    expect(safeCallbackPath("https://evil.example/", origin)).toBe("/");
  });
});

import { describe, expect, it } from "vitest";
import { slugFromName, tenantSlug } from "./tenant-slug";

describe("slugFromName", () => {
  it("makes a valid address from names in any script", () => {
    for (const [name, slug] of [
      ["Fibre Nørth ISP", "fibre-north-isp"],
      ["Ħaż-Żebbuġ Net", "haz-zebbug-net"],
      ["  Łódź & Straße  ", "lodz-strasse"],
      ["Ærø Bredbånd", "aero-bredband"],
    ] as const) {
      expect(slugFromName(name)).toBe(slug);
      expect(tenantSlug.safeParse(slug).success).toBe(true);
    }
  });

  it("stays within 48 characters without a trailing hyphen", () => {
    const slug = slugFromName(`${"a".repeat(47)} b`);
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug.endsWith("-")).toBe(false);
  });
});

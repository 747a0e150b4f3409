// Stored settings read leniently: rules tightened later never stop a tenant's runs or its Settings page.
import { describe, expect, it } from "vitest";
import { readSettings, settingsSchema } from "./settings";

describe("readSettings", () => {
  it("reads a name pattern saved before unknown placeholders were refused as it was, and refuses it on save", () => {
    const stored = { customers: { namePattern: "{name} {adress}" }, general: { timeZone: "Europe/London" } };
    expect(settingsSchema.safeParse(stored).success).toBe(false);
    const settings = readSettings(stored);
    expect(settings.customers.namePattern).toBe("{name} {adress}");
    expect(settings.general.timeZone).toBe("Europe/London");
  });

  it("falls back to the default only for a value of the wrong shape", () => {
    const settings = readSettings({ general: { quotaReservePercent: "lots", timeZone: "Asia/Tokyo" } });
    expect(settings.general).toMatchObject({ quotaReservePercent: 20, timeZone: "Asia/Tokyo" });
  });
});

// Oversized input, as a script would send it: every field answers with its bound, before any work is done.
import { describe, expect, it } from "vitest";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { readSettings } from "@/server/sync/settings";

const database = registerTestDatabase();
const long = (length: number, character = "x") => character.repeat(length);

describe("input bounds", () => {
  it("refuses every oversized string, list and id with the bound it broke", async () => {
    const { db } = database;
    const owner = await makePerson(db, "bounds");
    const tenant = await makeTenant(db, owner, "bounds");
    const api = callerFor(db, owner);
    const tenantSlug = tenant.slug;
    const settings = readSettings(undefined);
    const cases: [string, () => Promise<unknown>, string][] = [
      [
        "tenants.delete",
        () => api.tenants.delete({ tenantSlug, confirmation: long(10_000) }),
        "Use at most 100 characters",
      ],
      [
        "mapping.reset",
        () => api.mapping.reset({ tenantSlug, confirmation: long(10_000), forgetOrganization: false }),
        "Use at most 100 characters",
      ],
      [
        "zoho.connect",
        () =>
          api.zoho.connect({ tenantSlug, region: "US", ownApp: { clientId: "client", clientSecret: long(10_000) } }),
        "Use at most 200 characters",
      ],
      [
        "zoho.connect",
        () => api.zoho.connect({ tenantSlug, region: "US", ownApp: { clientId: long(10_000), clientSecret: "s" } }),
        "Use at most 200 characters",
      ],
      [
        "zoho.chooseOrganization",
        () => api.zoho.chooseOrganization({ tenantSlug, organizationId: long(10_000, "1") }),
        "Not a Zoho organization id",
      ],
      [
        "pairing.pair",
        () => api.pairing.pair({ tenantSlug, splynxId: long(10_000, "1"), contactId: "1", label: "x" }),
        "Not a Splynx id",
      ],
      [
        "pairing.pair",
        () => api.pairing.pair({ tenantSlug, splynxId: "1", contactId: long(10_000, "1"), label: "x" }),
        "Not a Zoho contact id",
      ],
      ["sync.retryOne", () => api.sync.retryOne({ tenantSlug, splynxId: long(10_000, "1") }), "Not a Splynx id"],
      [
        "settings.save (time zone)",
        () =>
          api.settings.save({
            tenantSlug,
            settings: { ...settings, general: { ...settings.general, timeZone: long(10_000) } },
          }),
        "Use at most 64 characters",
      ],
      [
        "settings.save (partners)",
        () =>
          api.settings.save({
            tenantSlug,
            settings: {
              ...settings,
              general: { ...settings.general, ignoredPartnerIds: Array.from({ length: 1001 }, (_, i) => String(i)) },
            },
          }),
        "Use at most 1000",
      ],
      [
        "settings.save (payment methods)",
        () =>
          api.settings.save({
            tenantSlug,
            settings: {
              ...settings,
              paymentsExport: { ...settings.paymentsExport, allowedMethodIds: [long(10_000, "1")] },
            },
          }),
        "Not a Splynx id",
      ],
      [
        "settings.save (payment modes)",
        () =>
          api.settings.save({
            tenantSlug,
            settings: {
              ...settings,
              paymentsExport: { ...settings.paymentsExport, paymentModes: Array(101).fill("cash") },
            },
          }),
        "Use at most 100",
      ],
      [
        "settings.save (rounding item)",
        () =>
          api.settings.save({
            tenantSlug,
            settings: { ...settings, customers: { ...settings.customers, roundingItemId: long(10_000, "1") } },
          }),
        "Not a Zoho item id",
      ],
    ];
    expect(cases).toHaveLength(13);
    for (const [name, call, bound] of cases) {
      await expect(call(), name).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(bound),
      });
    }
  });
});

// What Records and the log read: names beside ids, from the links and the loaded Zoho customers, within one tenant.
import { describe, expect, it } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { replaceContactsCache } from "./pairing";
import { listLinks, writeLink } from "./sync";

const database = registerTestDatabase();

describe("listLinks", () => {
  it("names each customer's Zoho contact from the tenant's loaded Zoho customers, never another tenant's", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const other = await makeTenant(db, owner, "other");
    const loadedAt = new Date();
    await replaceContactsCache(db, {
      tenantId: tenant.id,
      contacts: [{ contactId: "4600000000000000001", name: "Ada L. (Zoho)", email: "", companyName: "" }],
      loadedAt,
    });
    await replaceContactsCache(db, {
      tenantId: other.id,
      contacts: [{ contactId: "4600000000000000002", name: "Someone else's contact", email: "", companyName: "" }],
      loadedAt,
    });
    const customer = { tenantId: tenant.id, entity: "customer" as const, state: "synced" as const };
    await writeLink(db, { ...customer, splynxId: "1", label: "Ada Lovelace", zohoId: "4600000000000000001" });
    await writeLink(db, { ...customer, splynxId: "2", label: "Alan Turing", zohoId: "4600000000000000002" });
    await writeLink(db, { ...customer, splynxId: "3", label: "Grace Hopper", state: "failed" });
    const { links } = await listLinks(db, { tenantId: tenant.id, entity: "customer", limit: 10 });
    expect(links.map((link) => [link.splynxId, link.label, link.zohoId, link.zohoContactName])).toEqual([
      ["1", "Ada Lovelace", "4600000000000000001", "Ada L. (Zoho)"],
      ["2", "Alan Turing", "4600000000000000002", null],
      ["3", "Grace Hopper", null, null],
    ]);
  });
});

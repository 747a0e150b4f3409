// The Records search by the shapes its indexes serve: a document's number by prefix, a customer's name by any part,
// either id exactly; the customer filter through the matching customers; the totals mismatch through its partial index.
import { describe, expect, it } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { type LinkFilter, listLinks, writeLink } from "./sync";

const database = registerTestDatabase();

describe("listLinks search", () => {
  it("finds documents by number prefix, customers by part of the name, and either by id, within the tenant", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    const other = await makeTenant(db, owner, "other");
    const customer = { entity: "customer" as const, state: "synced" as const };
    await writeLink(db, { ...customer, tenantId: tenant.id, splynxId: "1", label: "Ada Lovelace", zohoId: "46001" });
    await writeLink(db, { ...customer, tenantId: tenant.id, splynxId: "2", label: "Bob 100% Builder" });
    const invoices = [
      ["10", "INV-100", "1", "10.00", "10.0"],
      ["11", "inv-1001", "2", "5.00", "6.00"],
      ["12", "INV_200", "1", "7.00", "unknown"],
      ["13", "CN-INV-100", "77", "1.00", "2.00"],
    ] as const;
    for (const [splynxId, number, customerId, splynxTotal, zohoTotal] of invoices)
      await writeLink(db, {
        tenantId: tenant.id,
        entity: "invoice",
        splynxId,
        state: "synced",
        label: `Invoice ${number}`,
        zohoId: `9000${splynxId}`,
        details: { number, customerId, splynxTotal, zohoTotal },
      });
    await writeLink(db, {
      tenantId: other.id,
      entity: "invoice",
      splynxId: "10",
      state: "synced",
      label: "Invoice INV-100",
      details: { number: "INV-100", customerId: "1", splynxTotal: "1.00", zohoTotal: "2.00" },
    });
    const ids = async (filter: Partial<LinkFilter>) =>
      (await listLinks(db, { tenantId: tenant.id, entity: "invoice", limit: 10, ...filter })).links.map(
        (link) => link.splynxId,
      );

    expect(await ids({ text: "inv-100" })).toEqual(["10", "11"]);
    expect(await ids({ text: "INV-1001" })).toEqual(["11"]);
    expect(await ids({ text: "INV_" })).toEqual(["12"]);
    expect(await ids({ text: "900013" })).toEqual(["13"]);
    expect(await ids({ text: "12" })).toEqual(["12"]);
    expect(await ids({ entity: "customer", text: "100%" })).toEqual(["2"]);
    expect(await ids({ entity: "customer", text: "46001" })).toEqual(["1"]);
    expect(await ids({ customer: "LOVE" })).toEqual(["10", "12"]);
    expect(await ids({ customer: "77" })).toEqual(["13"]);
    expect(await ids({ customer: "%" })).toEqual(["11"]);
    expect(await ids({ mismatch: true })).toEqual(["11", "13"]);
    expect(await ids({ mismatch: true, customer: "Bob" })).toEqual(["11"]);
  });
});

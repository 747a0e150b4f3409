// Records' listing: the index of Splynx records joined to the links runs made, filtered and keyset-paged, in one tenant.
import { describe, expect, it } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { listRecords, markRemoved, upsertIndexRows, type IndexRow } from "./splynx-index";
import { writeLink } from "./sync";

const database = registerTestDatabase();

const customer = (id: number, name: string): IndexRow => ({
  entity: "customer",
  splynxId: String(id),
  label: name,
  status: "active",
});
const invoice = (id: number, number: string, customerId: number, date: string): IndexRow => ({
  entity: "invoice",
  splynxId: String(id),
  label: number,
  customerId: String(customerId),
  date,
  amount: "11.5000",
  status: "not_paid",
});

async function twoTenants() {
  const { db } = database;
  const owner = await makePerson(db, "owner");
  const tenant = await makeTenant(db, owner);
  const other = await makeTenant(db, owner, "other");
  const seenAt = new Date();
  await upsertIndexRows(db, {
    tenantId: tenant.id,
    seenAt,
    rows: [
      customer(2, "Ada Lovelace"),
      customer(10, "Alan Turing"),
      customer(3, "Grace Hopper"),
      invoice(7, "INV-2026-007", 2, "2026-10-03"),
      invoice(12, "INV-2026-012", 10, "2026-11-02"),
      invoice(30, "INV-2026-030", 2, "2026-11-20"),
    ],
  });
  await upsertIndexRows(db, { tenantId: other.id, seenAt, rows: [customer(4, "Someone else's customer")] });
  const link = { tenantId: tenant.id, entity: "customer" as const };
  await writeLink(db, { ...link, splynxId: "2", state: "synced", zohoId: "4600000000000000002", label: "Ada" });
  await writeLink(db, { ...link, splynxId: "10", state: "failed", message: "Zoho refused the e-mail." });
  await writeLink(db, {
    tenantId: tenant.id,
    entity: "invoice",
    splynxId: "12",
    state: "synced",
    zohoId: "4600000000000000112",
    details: { number: "INV-2026-012", splynxTotal: "11.5000", zohoTotal: "11.49" },
  });
  return { tenant, other };
}

const ids = (page: { records: { splynxId: string }[] }) => page.records.map((record) => record.splynxId);

describe("listRecords", () => {
  it("lists every indexed record with its link's state, 'unsynced' where no run handled it, in numeric id order", async () => {
    const { db } = database;
    const { tenant, other } = await twoTenants();
    const page = await listRecords(db, { tenantId: tenant.id, entity: "customer", limit: 10 });
    expect(page.records.map((record) => [record.splynxId, record.label, record.state, record.zohoId])).toEqual([
      ["2", "Ada Lovelace", "synced", "4600000000000000002"],
      ["3", "Grace Hopper", "unsynced", null],
      ["10", "Alan Turing", "failed", null],
    ]);
    expect(page.nextCursor).toBeNull();
    expect(ids(await listRecords(db, { tenantId: other.id, entity: "customer", limit: 10 }))).toEqual(["4"]);
    // Each state filter, the record no run handled included.
    const inState = async (state: "unsynced" | "failed" | "synced" | "skipped") =>
      ids(await listRecords(db, { tenantId: tenant.id, entity: "customer", state, limit: 10 }));
    expect(await inState("unsynced")).toEqual(["3"]);
    expect(await inState("failed")).toEqual(["10"]);
    expect(await inState("synced")).toEqual(["2"]);
    expect(await inState("skipped")).toEqual([]);
  });

  it("pages by Splynx id across pages without repeating or skipping a record", async () => {
    const { db } = database;
    const { tenant } = await twoTenants();
    const first = await listRecords(db, { tenantId: tenant.id, entity: "customer", limit: 2 });
    expect([ids(first), first.nextCursor]).toEqual([["2", "3"], "3"]);
    const second = await listRecords(db, { tenantId: tenant.id, entity: "customer", limit: 2, after: "3" });
    expect([ids(second), second.nextCursor]).toEqual([["10"], null]);
  });

  it("filters documents by customer name or id, number prefix, Zoho id, dates and differing totals", async () => {
    const { db } = database;
    const { tenant, other } = await twoTenants();
    const invoices = (filter: Omit<Parameters<typeof listRecords>[1], "tenantId" | "entity" | "limit">) =>
      listRecords(db, { tenantId: tenant.id, entity: "invoice", limit: 10, ...filter }).then(ids);
    expect(await invoices({ customer: "lovelace" })).toEqual(["7", "30"]);
    expect(await invoices({ customer: "10" })).toEqual(["12"]);
    expect(await invoices({ customer: "Someone else" })).toEqual([]);
    expect(await invoices({ text: "inv-2026-03" })).toEqual(["30"]);
    expect(await invoices({ text: "4600000000000000112" })).toEqual(["12"]);
    expect(await invoices({ text: "7" })).toEqual(["7"]);
    expect(await invoices({ dateFrom: "2026-11-01", dateTo: "2026-11-19" })).toEqual(["12"]);
    expect(await invoices({ mismatch: true })).toEqual(["12"]);
    expect(await invoices({ state: "unsynced" })).toEqual(["7", "30"]);
    const [shown] = (await listRecords(db, { tenantId: tenant.id, entity: "invoice", limit: 1, after: "7" })).records;
    expect(shown).toMatchObject({
      customerName: "Alan Turing",
      mismatch: true,
      details: { number: "INV-2026-012", customerId: "10", date: "2026-11-02", zohoTotal: "11.49" },
    });
    expect(ids(await listRecords(db, { tenantId: other.id, entity: "invoice", limit: 10 }))).toEqual([]);
  });

  it("marks removed what a full read did not see, in the one tenant, and a later read brings it back", async () => {
    const { db } = database;
    const { tenant, other } = await twoTenants();
    const readStart = new Date(Date.now() + 1_000);
    await upsertIndexRows(db, { tenantId: tenant.id, seenAt: readStart, rows: [customer(2, "Ada Lovelace")] });
    expect(await markRemoved(db, { tenantId: tenant.id, entity: "customer", readStart })).toBe(2);
    const removed = async (tenantId: string) =>
      (await listRecords(db, { tenantId, entity: "customer", limit: 10 })).records
        .filter((record) => record.removedAt)
        .map((record) => record.splynxId);
    expect(await removed(tenant.id)).toEqual(["3", "10"]);
    expect(await removed(other.id)).toEqual([]);
    await upsertIndexRows(db, { tenantId: tenant.id, seenAt: new Date(), rows: [customer(3, "Grace Hopper")] });
    expect(await removed(tenant.id)).toEqual(["10"]);
  });
});

// Records through its procedures: connecting Splynx fills the index by its job (in this process, against the sandbox's
// Splynx), every customer is listed before any sync as not synced yet, in pages; refreshing is for admins, one at a
// time. The document filters and paging on indexed invoices; imported payments, listed from their links.
import { describe, expect, it } from "vitest";
import { claimIndexRefresh, finishIndexRefresh, type IndexRow, upsertIndexRows } from "@/db/queries/splynx-index";
import { writeLink } from "@/db/queries/sync";
import { callerFor, makeMember, makePerson, makeTenant, ownedTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { indexSplynx, refreshEnded } from "../testing/index-refresh";

const database = registerTestDatabase();

async function connectedTenant() {
  const { db } = database;
  const { person, tenant, caller } = await ownedTenant(db);
  const tenantSlug = tenant.slug;
  const { key: apiKey, secret: apiSecret } = SANDBOX_SPLYNX_KEYS.full;
  await caller.splynx.save({ tenantSlug, baseUrl: SANDBOX_SPLYNX_URL, authMode: "signature", apiKey, apiSecret });
  return { person, tenant, caller, tenantSlug };
}

describe("records procedures", () => {
  it("lists every Splynx customer as not synced yet once Splynx is connected, page after page", async () => {
    const { caller, tenantSlug } = await connectedTenant();
    const refresh = await indexSplynx(caller, tenantSlug);
    expect(refresh).toMatchObject({ entity: "payment", error: null });
    const first = await caller.records.list({ tenantSlug, entity: "customer", limit: 200 });
    const second = await caller.records.list({ tenantSlug, entity: "customer", limit: 200, cursor: first.nextCursor });
    const all = [...first.records, ...second.records];
    expect([first.records.length, second.records.length, second.nextCursor]).toEqual([200, 50, null]);
    expect(new Set(all.map((record) => record.splynxId)).size).toBe(250);
    expect(all.map((record) => Number(record.splynxId))).toEqual(
      [...all.map((record) => Number(record.splynxId))].sort((a, b) => a - b),
    );
    expect(new Set(all.map((record) => record.state))).toEqual(new Set(["unsynced"]));
    const unsynced = await caller.records.list({ tenantSlug, entity: "invoice", state: "unsynced", limit: 5 });
    expect(unsynced.records).toHaveLength(5);
    expect(unsynced.records[0]!.customerName).toEqual(expect.any(String));
    const synced = await caller.records.list({ tenantSlug, entity: "invoice", state: "synced", limit: 5 });
    expect(synced.records).toEqual([]);
  }, 60_000);

  it("refreshes for admins only, one at a time, audited; no other tenant's member sees the records", async () => {
    const { db } = database;
    const { caller, tenantSlug, tenant, person } = await connectedTenant();
    await indexSplynx(caller, tenantSlug);
    // A refresh another worker is running holds the tenant's turn until it ends.
    const running = (await claimIndexRefresh(db, { tenantId: tenant.id, staleMs: 60_000 }))!;
    await expect(caller.records.refresh({ tenantSlug })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Splynx is being read already; this list refreshes when it ends.",
    });
    await finishIndexRefresh(db, { tenantId: tenant.id, refreshId: running.id, status: "succeeded" });
    expect(await caller.records.refresh({ tenantSlug })).toEqual({ started: true });
    await refreshEnded(caller, tenantSlug);
    const audit = await caller.audit.list({ tenantSlug });
    expect(audit.entries.filter((entry) => entry.action === "records.refresh")).toHaveLength(1);

    const viewer = await makeMember(db, { tenantId: tenant.id, invitedBy: person.id, role: "viewer" });
    const asViewer = callerFor(db, viewer);
    await expect(asViewer.records.refresh({ tenantSlug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asViewer.records.list({ tenantSlug, limit: 1 })).records).toHaveLength(1);
    const stranger = callerFor(db, await makePerson(db, "stranger"));
    await expect(stranger.records.list({ tenantSlug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.records.refreshStatus({ tenantSlug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  }, 60_000);
});

type Invoice = { splynxId: string; customerId: string; date: string; splynxTotal: string; zohoTotal?: string };

/** Each invoice indexed as Splynx lists it, and linked as a run left it: synced with both totals, else failed. */
async function indexedInvoices(tenantId: string, invoices: Invoice[]) {
  const rows = invoices.map(
    ({ splynxId, customerId, date, splynxTotal }): IndexRow => ({
      entity: "invoice",
      splynxId,
      label: `2026-${splynxId}`,
      customerId,
      date,
      amount: splynxTotal,
    }),
  );
  await upsertIndexRows(database.db, { tenantId, rows, seenAt: new Date() });
  for (const { splynxId, splynxTotal, zohoTotal } of invoices) {
    const synced = zohoTotal !== undefined;
    await writeLink(database.db, {
      tenantId,
      entity: "invoice",
      splynxId,
      state: synced ? "synced" : "failed",
      zohoId: synced ? `90000${splynxId}` : null,
      message: synced ? null : "Tax 'VAT 7.5%' has no Zoho tax: map it on Mapping → Tax rates.",
      details: { splynxTotal, ...(synced && { zohoTotal }) },
    });
  }
}

describe("records.list filters", () => {
  it("filters indexed invoices by state, customer, dates, mismatch and text, keyset-paged with a filter", async () => {
    const { db } = database;
    const { tenant, caller } = await sandboxTenant(db);
    const tenantSlug = tenant.slug;
    const customers: IndexRow[] = [
      { entity: "customer", splynxId: "1", label: "Ada Lovelace" },
      { entity: "customer", splynxId: "2", label: "Bob 100% Builder" },
    ];
    await upsertIndexRows(db, { tenantId: tenant.id, rows: customers, seenAt: new Date() });
    await indexedInvoices(tenant.id, [
      { splynxId: "100", customerId: "1", date: "2026-11-01", splynxTotal: "20.00", zohoTotal: "20" },
      { splynxId: "9", customerId: "2", date: "2026-10-31", splynxTotal: "7.00" },
      { splynxId: "10", customerId: "1", date: "2026-09-15", splynxTotal: "100.00", zohoTotal: "100.00" },
      { splynxId: "11", customerId: "2", date: "2026-10-02", splynxTotal: "50.5", zohoTotal: "50.50" },
      { splynxId: "12", customerId: "1", date: "2026-10-20", splynxTotal: "12.34", zohoTotal: "12.35" },
      // A customer Splynx has not listed yet: the invoice shows without a name.
      { splynxId: "13", customerId: "77", date: "2026-10-21", splynxTotal: "1.00", zohoTotal: "not a number" },
    ]);
    // Another tenant's invoice, with the same Splynx id and differing totals, never shows.
    const other = await makeTenant(db, await makePerson(db, "other"));
    await indexedInvoices(other.id, [
      { splynxId: "10", customerId: "1", date: "2026-10-10", splynxTotal: "1.00", zohoTotal: "2.00" },
    ]);

    const list = (filter: Omit<Parameters<typeof caller.records.list>[0], "tenantSlug">) =>
      caller.records.list({ tenantSlug, entity: "invoice", ...filter });
    const ids = async (filter: Parameters<typeof list>[0]) =>
      (await list(filter)).records.map((record) => record.splynxId);

    const all = await list({});
    expect(all.records.map((record) => [record.splynxId, record.state, record.customerName, record.mismatch])).toEqual([
      ["9", "failed", "Bob 100% Builder", false],
      ["10", "synced", "Ada Lovelace", false],
      ["11", "synced", "Bob 100% Builder", false],
      ["12", "synced", "Ada Lovelace", true],
      ["13", "synced", null, false],
      ["100", "synced", "Ada Lovelace", false],
    ]);
    expect(all.failed).toBe(1);
    expect(all.zohoLinkPrefix).toMatch(new RegExp(`^/sandbox/${tenantSlug}/zoho/app/\\d+/invoices/$`));
    expect(await caller.sync.overview({ tenantSlug })).toMatchObject({ failedByEntity: { customer: 0, invoice: 1 } });

    expect(await ids({ state: "failed" })).toEqual(["9"]);
    // Part of the name, case-insensitive, with LIKE's wildcards taken literally; or the customer's Splynx id exactly.
    expect(await ids({ customer: "ADA" })).toEqual(["10", "12", "100"]);
    expect(await ids({ customer: "100%" })).toEqual(["9", "11"]);
    expect(await ids({ customer: "_" })).toEqual([]);
    expect(await ids({ customer: "77" })).toEqual(["13"]);
    expect(await ids({ dateFrom: "2026-10-21" })).toEqual(["9", "13", "100"]);
    expect(await ids({ dateTo: "2026-09-30" })).toEqual(["10"]);
    // Equal amounts written differently are not a mismatch; an unknown Zoho total is not one either.
    expect(await ids({ mismatch: true })).toEqual(["12"]);
    expect(await ids({ mismatch: true, customer: "bob" })).toEqual([]);
    // A Zoho id matches only whole.
    expect(await ids({ text: "900001" })).toEqual([]);

    const first = await list({ customer: "ada", limit: 2 });
    expect([first.records.map((record) => record.splynxId), first.nextCursor]).toEqual([["10", "12"], "12"]);
    expect(await ids({ customer: "ada", limit: 2, cursor: first.nextCursor })).toEqual(["100"]);

    // Customers are the default entity, with their Zoho contact pages.
    const listed = await caller.records.list({ tenantSlug });
    expect(listed.records.map((record) => record.splynxId)).toEqual(["1", "2"]);
    expect(listed.zohoLinkPrefix).toMatch(/\/contacts\/$/);
    expect((await list({ entity: "credit_note" })).records).toEqual([]);
    await expect(list({ dateFrom: "1 October" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Use the format YYYY-MM-DD"),
    });
    await expect(list({ cursor: "12 or 1=1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists imported payments from their links by state and dates, keyset-paged; none 'not synced yet'", async () => {
    const { db } = database;
    const { tenant, caller } = await ownedTenant(db);
    const payments = [
      ["5", "synced", "2026-10-05"],
      ["40", "failed", "2026-10-20"],
      ["300", "synced", "2026-11-02"],
    ] as const;
    for (const [splynxId, state, date] of payments)
      await writeLink(db, { tenantId: tenant.id, entity: "payment_import", splynxId, state, details: { date } });
    const ids = async (filter: Omit<Parameters<typeof caller.records.list>[0], "tenantSlug" | "entity">) =>
      (await caller.records.list({ tenantSlug: tenant.slug, entity: "payment_import", ...filter })).records.map(
        (record) => [record.splynxId, record.state],
      );
    expect(await ids({})).toEqual([
      ["5", "synced"],
      ["40", "failed"],
      ["300", "synced"],
    ]);
    expect(await ids({ state: "failed" })).toEqual([["40", "failed"]]);
    expect(await ids({ state: "unsynced" })).toEqual([]);
    expect(await ids({ dateFrom: "2026-10-06", dateTo: "2026-11-02" })).toEqual([
      ["40", "failed"],
      ["300", "synced"],
    ]);
    expect(await ids({ limit: 2, cursor: "5" })).toEqual([
      ["40", "failed"],
      ["300", "synced"],
    ]);
    const first = await caller.records.list({ tenantSlug: tenant.slug, entity: "payment_import", limit: 2 });
    expect(first.nextCursor).toBe("40");
  });
});

// Records per entity with the document filters (state, customer, date range, mismatch) and keyset paging; starting
// runs of the entities this version syncs, and clear refusals of the others; the log's held and warning entries.
import { describe, expect, it, vi } from "vitest";
import { acceptInvitation, createInvitation } from "@/db/queries/invitations";
import { createRun } from "@/db/queries/runs";
import { addEntries, writeLink, type LinkWrite } from "@/db/queries/sync";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import type { SyncEntity } from "@/db/schema";
import { SYNC_ORDER, syncsEntity } from "@/server/sync/engine";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

type Invoice = {
  splynxId: string;
  customerId: string;
  date: string;
  splynxTotal: string;
  zohoTotal?: string;
  state?: LinkWrite["state"];
  message?: string;
};

async function writeInvoices(tenantId: string, invoices: Invoice[]) {
  for (const invoice of invoices) {
    const linked = invoice.zohoTotal !== undefined;
    await writeLink(database.db, {
      tenantId,
      entity: "invoice",
      splynxId: invoice.splynxId,
      state: invoice.state ?? "synced",
      label: `Invoice 2026-${invoice.splynxId}`,
      zohoId: linked ? `90000${invoice.splynxId}` : null,
      organizationId: linked ? "2646610000000000001" : null,
      message: invoice.message ?? null,
      details: {
        number: `2026-${invoice.splynxId}`,
        customerId: invoice.customerId,
        date: invoice.date,
        splynxTotal: invoice.splynxTotal,
        ...(linked ? { zohoTotal: invoice.zohoTotal, zohoStatus: "sent" } : {}),
      },
    });
  }
}

describe("records per entity", () => {
  it("lists invoices with their customer and filters them by state, customer, date range and mismatch, keyset-paged", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    for (const [splynxId, label] of [
      ["1", "Ada Lovelace"],
      ["2", "Bob 100% Builder"],
    ] as const) {
      await writeLink(database.db, {
        tenantId: tenant.id,
        entity: "customer",
        splynxId,
        state: "synced",
        label,
        zohoId: `80000${splynxId}`,
        organizationId: "2646610000000000001",
      });
    }
    await writeInvoices(tenant.id, [
      { splynxId: "100", customerId: "1", date: "2026-11-01", splynxTotal: "20.00", zohoTotal: "20" },
      {
        splynxId: "9",
        customerId: "2",
        date: "2026-10-31",
        splynxTotal: "7.00",
        state: "failed",
        message: "Tax 'VAT 7.5%' has no Zoho tax: map it on Mapping → Tax rates.",
      },
      { splynxId: "10", customerId: "1", date: "2026-09-15", splynxTotal: "100.00", zohoTotal: "100.00" },
      { splynxId: "11", customerId: "2", date: "2026-10-02", splynxTotal: "50.5", zohoTotal: "50.50" },
      { splynxId: "12", customerId: "1", date: "2026-10-20", splynxTotal: "12.34", zohoTotal: "12.35" },
      // A customer with no link yet: listed without a name.
      { splynxId: "13", customerId: "77", date: "2026-10-21", splynxTotal: "1.00", zohoTotal: "not a number" },
    ]);
    // Another tenant's invoice, with the same Splynx id, never shows.
    const other = await makeTenant(database.db, await makePerson(database.db, "other"));
    await writeInvoices(other.id, [
      { splynxId: "10", customerId: "1", date: "2026-10-10", splynxTotal: "1.00", zohoTotal: "2.00" },
    ]);

    const ids = async (filter: Record<string, unknown>) =>
      (await caller.sync.records({ tenantSlug, entity: "invoice", ...filter })).links.map((link) => link.splynxId);

    const all = await caller.sync.records({ tenantSlug, entity: "invoice" });
    expect(all.links.map((link) => [link.splynxId, link.customerName, link.mismatch])).toEqual([
      ["9", "Bob 100% Builder", false],
      ["10", "Ada Lovelace", false],
      ["11", "Bob 100% Builder", false],
      ["12", "Ada Lovelace", true],
      ["13", null, false],
      ["100", "Ada Lovelace", false],
    ]);
    expect(all.failed).toBe(1);
    expect(all.zohoLinkPrefix).toMatch(new RegExp(`^/sandbox/${tenantSlug}/zoho/app/\\d+/invoices/$`));
    expect(all.links[1]!.details).toMatchObject({
      number: "2026-10",
      date: "2026-09-15",
      splynxTotal: "100.00",
      zohoTotal: "100.00",
      zohoStatus: "sent",
    });

    expect(await ids({ state: "failed" })).toEqual(["9"]);
    // Part of the name, case-insensitive, with LIKE's wildcards taken literally; or the customer's Splynx id exactly.
    expect(await ids({ customer: "ada" })).toEqual(["10", "12", "100"]);
    expect(await ids({ customer: "100%" })).toEqual(["9", "11"]);
    expect(await ids({ customer: "_" })).toEqual([]);
    expect(await ids({ customer: "2" })).toEqual(["9", "11"]);
    expect(await ids({ customer: "77" })).toEqual(["13"]);
    expect(await ids({ dateFrom: "2026-10-01", dateTo: "2026-10-31" })).toEqual(["9", "11", "12", "13"]);
    expect(await ids({ dateFrom: "2026-10-21" })).toEqual(["9", "13", "100"]);
    expect(await ids({ dateTo: "2026-09-30" })).toEqual(["10"]);
    // Equal amounts written differently are not a mismatch; an unknown Zoho total is not one either.
    expect(await ids({ mismatch: true })).toEqual(["12"]);
    expect(await ids({ mismatch: true, customer: "bob" })).toEqual([]);
    expect(await ids({ text: "2026-11" })).toEqual(["11"]);
    expect(await ids({ text: "900000" })).toEqual([]);
    expect(await ids({ text: "9000012" })).toEqual(["12"]);

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { links: { splynxId: string }[]; nextCursor: string | null } = await caller.sync.records({
        tenantSlug,
        entity: "invoice",
        limit: 4,
        cursor,
      });
      pages.push(page.links.map((link) => link.splynxId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([
      ["9", "10", "11", "12"],
      ["13", "100"],
    ]);
    const filtered = await caller.sync.records({ tenantSlug, entity: "invoice", customer: "ada", limit: 2 });
    expect(filtered.links.map((link) => link.splynxId)).toEqual(["10", "12"]);
    expect(
      (
        await caller.sync.records({
          tenantSlug,
          entity: "invoice",
          customer: "ada",
          limit: 2,
          cursor: filtered.nextCursor,
        })
      ).links.map((link) => link.splynxId),
    ).toEqual(["100"]);

    // Customers stay the default entity, with their own links and Zoho contact pages.
    const customers = await caller.sync.records({ tenantSlug });
    expect(customers.links.map((link) => link.splynxId)).toEqual(["1", "2"]);
    expect(customers.zohoLinkPrefix).toMatch(/\/contacts\/$/);
    expect((await caller.sync.records({ tenantSlug, entity: "credit_note" })).links).toEqual([]);

    await expect(caller.sync.records({ tenantSlug, entity: "invoice", dateFrom: "1 October" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const overview = await caller.sync.overview({ tenantSlug });
    expect(overview).toMatchObject({ failed: 1, failedByEntity: { customer: 0, invoice: 1 } });
  });
});

// An entity can be taken out of this version (its adapter hidden) to see how a start of it is refused, whatever
// entities have adapters by now.
const hidden = vi.hoisted(() => new Set<string>());
vi.mock("@/server/sync/engine", async (importOriginal) => {
  const engine = await importOriginal<typeof import("@/server/sync/engine")>();
  return { ...engine, syncsEntity: (entity: SyncEntity) => !hidden.has(entity) && engine.syncsEntity(entity) };
});

const synced = () => SYNC_ORDER.filter(syncsEntity);

describe("starting runs per entity", () => {
  it("refuses an entity with no adapter, with a message that names it and what does sync", async () => {
    const person = await makePerson(database.db, "admin");
    const tenant = await makeTenant(database.db, person);
    const caller = callerFor(database.db, person);
    const tenantSlug = tenant.slug;
    hidden.add("payment").add("credit_note").add("payment_import");
    try {
      expect((await caller.sync.overview({ tenantSlug })).entities).toEqual(["customer", "invoice"]);
      const message = "This version of Ledgerlink does not sync payments yet; it syncs customers, invoices.";
      await expect(caller.sync.start({ tenantSlug, entities: ["payment"] })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message,
      });
      await expect(
        caller.sync.start({ tenantSlug, entities: ["customer", "invoice", "payment"] }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message });
      await expect(caller.sync.start({ tenantSlug, entities: ["payment", "credit_note"] })).rejects.toMatchObject({
        message: expect.stringMatching(/^This version of Ledgerlink does not sync payments or credit notes yet;/),
      });
      expect(await caller.sync.runs({ tenantSlug })).toMatchObject({ runs: [] });
    } finally {
      hidden.clear();
    }
  });

  it("starts the entities that have an adapter, in sync order, for admins only; the overview lists them", async () => {
    const { person, tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    await caller.mapping.load({ tenantSlug });
    expect(synced().slice(0, 2)).toEqual(["customer", "invoice"]);
    expect((await caller.sync.overview({ tenantSlug })).entities).toEqual(synced());
    await expect(caller.sync.start({ tenantSlug, entities: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.sync.start({ tenantSlug, entities: ["contact" as never] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    // What matters is what the run was asked to sync, and in which order: it is cancelled at once.
    const { runId } = await caller.sync.start({ tenantSlug, entities: ["invoice", "customer", "invoice"] });
    await caller.sync.cancel({ tenantSlug, runId });
    const run = await vi.waitFor(
      async () => {
        const current = await caller.sync.run({ tenantSlug, runId });
        if (current.status === "queued" || current.status === "running") throw new Error("still running");
        return current;
      },
      { timeout: 30_000, interval: 50 },
    );
    expect(run).toMatchObject({ entities: ["customer", "invoice"], trigger: "manual", status: "cancelled" });

    const viewer = await makePerson(database.db, "viewer");
    const invitation = await createInvitation(database.db, {
      tenantId: tenant.id,
      email: viewer.email,
      role: "viewer",
      invitedBy: person.id,
    });
    await database.db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: viewer }));
    await expect(
      callerFor(database.db, viewer).sync.start({ tenantSlug, entities: ["invoice"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the sync log's entries", () => {
  it("filters a run's entries on held and warning", async () => {
    const person = await makePerson(database.db, "admin");
    const tenant = await makeTenant(database.db, person);
    const caller = callerFor(database.db, person);
    const run = await createRun(database.db, {
      tenantId: tenant.id,
      trigger: "manual",
      requestedBy: person.id,
      entities: ["customer", "invoice"],
    });
    await addEntries(database.db, {
      tenantId: tenant.id,
      runId: run.id,
      entries: [
        {
          entity: "customer",
          splynxId: "4",
          action: "held",
          message: "Zoho already holds record 1 with the same e-mail: review it on Pairing before it syncs.",
        },
        {
          entity: "invoice",
          splynxId: "-",
          action: "warning",
          message: "Splynx counts 3 invoice records, and this run handled 2.",
        },
        { entity: "invoice", splynxId: "8", action: "created" },
      ],
    });
    const actions = async (action?: "held" | "warning" | "created") =>
      (await caller.sync.entries({ tenantSlug: tenant.slug, runId: run.id, action })).entries.map((entry) => [
        entry.splynxId,
        entry.action,
      ]);
    expect(await actions("held")).toEqual([["4", "held"]]);
    expect(await actions("warning")).toEqual([["-", "warning"]]);
    expect(await actions()).toHaveLength(3);
  });
});

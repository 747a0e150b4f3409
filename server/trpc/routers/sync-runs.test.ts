// Starting runs of the entities this version syncs, and clear refusals of the others; the log's held and warning
// entries.
import { describe, expect, it, vi } from "vitest";
import { createRun } from "@/db/queries/runs";
import { addEntries } from "@/db/queries/sync";
import { callerFor, makeMember, ownedTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import type { SyncEntity } from "@/db/schema";
import { SYNC_ORDER, syncsEntity } from "@/server/sync/engine";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

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
    const { tenant, caller } = await ownedTenant(database.db);
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

    const viewer = await makeMember(database.db, { tenantId: tenant.id, invitedBy: person.id, role: "viewer" });
    await expect(
      callerFor(database.db, viewer).sync.start({ tenantSlug, entities: ["invoice"] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the sync log's entries", () => {
  it("filters a run's entries on held and warning", async () => {
    const { person, tenant, caller } = await ownedTenant(database.db);
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

// Pairing against both sandboxes: suggestions, accept all, pair by hand, unpair, held customers, links per organization.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { claimLink, linksFor, writeLink } from "@/db/queries/sync";
import { auditLog } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxSplynx, sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";

const database = registerTestDatabase();

describe("pairing", () => {
  it("suggests by e-mail, pairs by hand and by suggestion, refuses double pairs, and unpairs", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    expect(await caller.pairing.load({ tenantSlug })).toEqual({
      contacts: [...[...sandboxZoho(tenant.id).store.organizations.values()][0]!.contacts.values()].filter(
        (contact) => contact.contact_type === "customer",
      ).length,
    });

    const suggestions = await caller.pairing.suggestions({ tenantSlug });
    expect(suggestions.length).toBeGreaterThan(10);
    expect(suggestions.every((suggestion) => suggestion.reason === "same e-mail")).toBe(true);

    const [byHand, ...rest] = suggestions;
    const [found] = await caller.pairing.search({ tenantSlug, text: byHand!.contactName });
    await caller.pairing.pair({
      tenantSlug,
      splynxId: byHand!.splynxId,
      contactId: found!.contactId,
      label: byHand!.customerName,
    });
    // The paired customer shows the Zoho contact's name, not only its id.
    expect((await caller.pairing.customers({ tenantSlug, text: byHand!.splynxId })).rows[0]).toMatchObject({
      state: "paired",
      zohoId: found!.contactId,
      zohoName: byHand!.contactName,
    });
    await expect(
      caller.pairing.pair({ tenantSlug, splynxId: rest[0]!.splynxId, contactId: found!.contactId, label: "x" }),
    ).rejects.toThrow(`already belongs to Splynx customer ${byHand!.splynxId}`);

    const accepted = await caller.pairing.acceptSuggestions({
      tenantSlug,
      pairs: suggestions.map(({ splynxId, contactId }) => ({ splynxId, contactId })),
    });
    expect(accepted).toEqual({ paired: rest.length, stale: 1 });
    const paired = (await caller.pairing.customers({ tenantSlug, state: "paired" })).rows;
    expect(paired).toHaveLength(suggestions.length);
    expect(await caller.pairing.suggestions({ tenantSlug })).toEqual([]);

    await caller.pairing.unpair({ tenantSlug, splynxId: byHand!.splynxId });
    expect((await caller.pairing.customers({ tenantSlug, text: byHand!.splynxId })).rows[0]).toMatchObject({
      state: "not_paired",
    });
  });
});

describe("customers the sync held for review", () => {
  it("lists them with their candidate, pairs one with it, creates another anew, and accepts the rest as suggestions", async () => {
    const { db } = database;
    const { tenant, caller } = await sandboxTenant(db);
    const tenantSlug = tenant.slug;
    await caller.pairing.load({ tenantSlug });
    const organizationId = (await caller.zoho.connection({ tenantSlug })).organizationId!;
    const [pairedByHand, createdAnew, accepted, ambiguous] = await caller.pairing.suggestions({ tenantSlug });
    // What the engine writes when a first create would duplicate a free Zoho contact (one match, or several).
    const hold = (suggestion: typeof pairedByHand, candidateId: string | null) =>
      writeLink(db, {
        tenantId: tenant.id,
        entity: "customer",
        splynxId: suggestion!.splynxId,
        label: suggestion!.customerName,
        state: "held",
        organizationId,
        candidateId,
        message: candidateId
          ? `Zoho already holds record ${candidateId} with the same e-mail: review it on Pairing before it syncs.`
          : "Zoho already holds 2 records with the same e-mail: pair the right one on Pairing before it syncs.",
      });
    for (const suggestion of [pairedByHand, createdAnew, accepted]) await hold(suggestion, suggestion!.contactId);
    await hold(ambiguous, null);

    const held = (await caller.pairing.customers({ tenantSlug, state: "held" })).rows;
    expect(held.map((row) => row.splynxId).sort()).toEqual(
      [pairedByHand, createdAnew, accepted, ambiguous].map((suggestion) => suggestion!.splynxId).sort(),
    );
    const row = held.find((candidate) => candidate.splynxId === pairedByHand!.splynxId)!;
    expect(row).toMatchObject({
      state: "held",
      zohoId: null,
      candidate: {
        contactId: pairedByHand!.contactId,
        name: pairedByHand!.contactName,
        email: expect.stringContaining("@"),
      },
      note: `Zoho already holds record ${pairedByHand!.contactId} with the same e-mail: review it on Pairing before it syncs.`,
    });
    expect(held.find((candidate) => candidate.splynxId === ambiguous!.splynxId)).toMatchObject({
      candidate: null,
      note: expect.stringContaining("2 records"),
    });
    expect((await caller.sync.overview({ tenantSlug })).held).toBe(4);
    expect(
      (await caller.pairing.suggestions({ tenantSlug }))
        .filter((suggestion) => suggestion.held)
        .map((suggestion) => suggestion.splynxId)
        .sort(),
    ).toEqual([pairedByHand, createdAnew, accepted].map((suggestion) => suggestion!.splynxId).sort());

    // "Pair with this contact": a manual link in the current organization.
    await caller.pairing.pair({
      tenantSlug,
      splynxId: pairedByHand!.splynxId,
      contactId: row.candidate!.contactId,
      label: row.name,
    });
    expect((await caller.pairing.customers({ tenantSlug, text: pairedByHand!.splynxId })).rows[0]).toMatchObject({
      state: "paired",
      zohoId: pairedByHand!.contactId,
    });
    expect(
      (await linksFor(db, { tenantId: tenant.id, entity: "customer", splynxIds: [pairedByHand!.splynxId] })).get(
        pairedByHand!.splynxId,
      ),
    ).toMatchObject({ state: "synced", manual: true, organizationId, candidateId: null });

    // "Create new in Zoho": the next run creates it; it is no longer held.
    await caller.pairing.createNew({ tenantSlug, splynxId: createdAnew!.splynxId, label: createdAnew!.customerName });
    expect((await caller.pairing.customers({ tenantSlug, text: createdAnew!.splynxId })).rows[0]).toMatchObject({
      state: "not_paired",
      note: "A person chose to create it in Zoho; the next run does.",
    });
    expect(
      (await linksFor(db, { tenantId: tenant.id, entity: "customer", splynxIds: [createdAnew!.splynxId] })).get(
        createdAnew!.splynxId,
      ),
    ).toMatchObject({ state: "pending", createConfirmed: true });
    await expect(
      caller.pairing.createNew({ tenantSlug, splynxId: createdAnew!.splynxId, label: "again" }),
    ).rejects.toThrow("not held for review");

    // Accept all: the held customer with a candidate is paired with it.
    const current = await caller.pairing.suggestions({ tenantSlug });
    expect(
      await caller.pairing.acceptSuggestions({
        tenantSlug,
        pairs: current.map(({ splynxId, contactId }) => ({ splynxId, contactId })),
      }),
    ).toMatchObject({ stale: 0 });
    expect((await caller.pairing.customers({ tenantSlug, text: accepted!.splynxId })).rows[0]).toMatchObject({
      state: "paired",
      zohoId: accepted!.contactId,
    });
    expect((await caller.sync.overview({ tenantSlug })).held).toBe(0);

    const actions = (await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).map((entry) => [
      entry.action,
      entry.target,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["pairing.pair", `${row.name} (${pairedByHand!.splynxId})`],
        ["pairing.create_new", `${createdAnew!.customerName} (${createdAnew!.splynxId})`],
      ]),
    );
  });

  it("counts a link of another organization as not paired, and never pairs a customer a sync is writing", async () => {
    const { db } = database;
    const { tenant, caller } = await sandboxTenant(db);
    const tenantSlug = tenant.slug;
    await caller.pairing.load({ tenantSlug });
    const organizationId = (await caller.zoho.connection({ tenantSlug })).organizationId!;
    const [elsewhere, busy] = await caller.pairing.suggestions({ tenantSlug });
    await writeLink(db, {
      tenantId: tenant.id,
      entity: "customer",
      splynxId: elsewhere!.splynxId,
      label: elsewhere!.customerName,
      state: "synced",
      zohoId: "1234567890123456789",
      organizationId: "9990000000000000001",
    });
    expect((await caller.pairing.customers({ tenantSlug, text: elsewhere!.splynxId })).rows[0]).toMatchObject({
      state: "not_paired",
      zohoId: null,
    });
    expect((await caller.pairing.suggestions({ tenantSlug })).map((suggestion) => suggestion.splynxId)).toContain(
      elsewhere!.splynxId,
    );
    await caller.pairing.pair({
      tenantSlug,
      splynxId: elsewhere!.splynxId,
      contactId: elsewhere!.contactId,
      label: elsewhere!.customerName,
    });
    expect(
      (await linksFor(db, { tenantId: tenant.id, entity: "customer", splynxIds: [elsewhere!.splynxId] })).get(
        elsewhere!.splynxId,
      ),
    ).toMatchObject({ zohoId: elsewhere!.contactId, organizationId, manual: true });

    await claimLink(db, {
      tenantId: tenant.id,
      entity: "customer",
      splynxId: busy!.splynxId,
      label: busy!.customerName,
      claimId: randomUUID(),
      claimMs: 60_000,
    });
    await expect(
      caller.pairing.pair({
        tenantSlug,
        splynxId: busy!.splynxId,
        contactId: busy!.contactId,
        label: busy!.customerName,
      }),
    ).rejects.toThrow("A sync is writing this customer right now");
  });
});

describe("the customer list pages on the server", () => {
  it("answers a page of the matching customers with how many match in all", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const customers = sandboxSplynx(tenant.id).store.customers.all();
    expect(customers.length).toBeGreaterThan(200);
    const first = await caller.pairing.customers({ tenantSlug });
    expect(first).toMatchObject({ matching: customers.length, total: customers.length, offset: 0 });
    expect(first.rows).toHaveLength(200);
    const rest = await caller.pairing.customers({ tenantSlug, offset: 200 });
    expect(rest.rows).toHaveLength(customers.length - 200);
    const seen = [...first.rows, ...rest.rows].map((row) => row.splynxId);
    expect(new Set(seen).size).toBe(customers.length);
    const narrowed = await caller.pairing.customers({ tenantSlug, text: String(customers[0]!.id) });
    expect(narrowed.matching).toBeGreaterThanOrEqual(1);
    expect(narrowed.total).toBe(customers.length);
  });
});

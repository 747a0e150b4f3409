// Every tenant-scoped query, asked for one tenant, reads and changes only that tenant's rows, even when another tenant
// has rows with the very same keys (Splynx ids, Zoho ids, organization, contact ids, slot). Two twin tenants: "ours"
// is asked about, "theirs" must come out of every call untouched and unseen.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { syncLinks, syncRuns } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { rowsOf } from "@/db/rows";
import { registerTestDatabase } from "@/db/testing/test-database";
import { deleteTenantLinks, linkedOutside } from "./links-reset";
import {
  eraseMappingData,
  listMappings,
  listReference,
  referenceLoadedAt,
  replaceReferenceData,
  saveMappings,
} from "./mapping";
import {
  cachedContacts,
  cachedContactsByIds,
  cacheSummary,
  clearContactsCache,
  countHeldCustomers,
  deleteManualLink,
  findCachedContact,
  linksHolding,
  lockCustomerLink,
  replaceContactsCache,
  searchContacts,
  unheldContactsMatching,
  upsertCachedContacts,
} from "./pairing";
import { createRun, sweepLapsedRuns } from "./runs";
import { scheduleGroups } from "./scheduling";
import { getSplynxConnection, recordSplynxTest, saveSplynxConnection } from "./splynx";
import {
  confirmCreate,
  countLinks,
  linkedSplynxIds,
  linkedZohoIds,
  linksFor,
  listLinks,
  recordIntent,
  saveSettingsRow,
  writeLink,
} from "./sync";
import {
  chooseOrganization,
  deleteZohoConnection,
  forgetOrganizationPlan,
  getZohoConnection,
  lockZohoConnection,
  markNeedsReconnect,
  saveZohoConnection,
  storeAccessToken,
} from "./zoho";
import { recordAudit } from "./audit";

const database = registerTestDatabase();
const ORGANIZATION = "2646610000000000001";
const OTHER_ORGANIZATION = "2646610000000000002";
const CONTACT = "2646610000000123001";

async function twins() {
  const { db } = database;
  const person = await makePerson(db, "twin-owner");
  const ours = await makeTenant(db, person, "ours");
  const theirs = await makeTenant(db, person, "theirs");
  return { db, person, ours: ours.id, theirs: theirs.id };
}

/** A customer link with the given state; the same keys serve both tenants. */
const link = (
  tenantId: string,
  state: "synced" | "held" | "pending" | "failed",
  extra: Record<string, unknown> = {},
) => ({
  tenantId,
  entity: "customer" as const,
  splynxId: "7",
  state,
  zohoId: CONTACT,
  organizationId: ORGANIZATION,
  label: `label of ${tenantId}`,
  ...extra,
});

const linkRows = (db: Db, tenantId: string) => db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenantId));

describe("links and their decisions, per tenant", () => {
  it("reads only the tenant's own links, whatever the other holds under the same keys", async () => {
    const { db, ours, theirs } = await twins();
    await writeLink(db, link(theirs, "held", { candidateId: CONTACT }));
    expect(await linksFor(db, { tenantId: ours, entity: "customer", splynxIds: ["7"] })).toEqual(new Map());
    expect(
      await linkedZohoIds(db, { tenantId: ours, organizationId: ORGANIZATION, entity: "customer", zohoIds: [CONTACT] }),
    ).toEqual(new Set());
    expect(await linksHolding(db, { tenantId: ours, contactIds: [CONTACT] })).toEqual([]);
    expect(await linksHolding(db, { tenantId: ours, contactIds: [CONTACT], organizationId: ORGANIZATION })).toEqual([]);
    expect(await countLinks(db, { tenantId: ours, entity: "customer", state: "held" })).toBe(0);
    expect(await countHeldCustomers(db, { tenantId: ours, organizationId: ORGANIZATION })).toBe(0);
    expect(await db.transaction((tx) => lockCustomerLink(tx, { tenantId: ours, splynxId: "7" }))).toBeUndefined();
    expect(await linkedOutside(db, { tenantId: ours, organizationId: null })).toEqual([]);
    // The same calls for the other tenant see its link: the answers above are about the tenant, not the keys.
    expect((await linksFor(db, { tenantId: theirs, entity: "customer", splynxIds: ["7"] })).get("7")).toMatchObject({
      label: `label of ${theirs}`,
    });
    expect(await countHeldCustomers(db, { tenantId: theirs, organizationId: ORGANIZATION })).toBe(1);
    expect(await linkedOutside(db, { tenantId: theirs, organizationId: null })).toEqual([
      { organizationId: ORGANIZATION, records: 1, name: null },
    ]);
  });

  it("names a document's customer from the tenant's own customer link only", async () => {
    const { db, ours, theirs } = await twins();
    await writeLink(db, link(theirs, "synced", { label: "Their customer" }));
    await writeLink(db, {
      tenantId: ours,
      entity: "invoice",
      splynxId: "501",
      state: "synced",
      zohoId: "2646610000000555001",
      organizationId: ORGANIZATION,
      label: "INV-501",
      details: { customerId: "7" },
    });
    expect((await listLinks(db, { tenantId: ours, entity: "invoice", limit: 10 })).links).toMatchObject([
      { splynxId: "501", customerName: null },
    ]);
    await writeLink(db, link(ours, "synced", { label: "Our customer" }));
    expect((await listLinks(db, { tenantId: ours, entity: "invoice", limit: 10 })).links).toMatchObject([
      { splynxId: "501", customerName: "Our customer" },
    ]);
  });

  it("lists the linked Splynx ids of the tenant's own links only", async () => {
    const { db, ours, theirs } = await twins();
    await writeLink(db, link(theirs, "synced"));
    expect(
      await linkedSplynxIds(db, {
        tenantId: ours,
        entity: "customer",
        organizationId: ORGANIZATION,
        after: "",
        limit: 10,
      }),
    ).toEqual([]);
    expect(
      await linkedSplynxIds(db, {
        tenantId: theirs,
        entity: "customer",
        organizationId: ORGANIZATION,
        after: "",
        limit: 10,
      }),
    ).toEqual(["7"]);
  });

  it("writes, records intents, confirms and deletes only the tenant's own links", async () => {
    const { db, ours, theirs } = await twins();
    const claimId = randomUUID();
    await writeLink(db, link(theirs, "held", { candidateId: CONTACT, manual: true }));
    await db.update(syncLinks).set({ claimId }).where(eq(syncLinks.tenantId, theirs));
    const before = await linkRows(db, theirs);

    const [theirClaim] = await rowsOf<{ version: string }>(
      db,
      sql`select ctid::text as version from sync_links where tenant_id = ${theirs}`,
    );
    const claim = { splynxId: "7", claimId, version: theirClaim!.version };
    expect(await recordIntent(db, { tenantId: ours, entity: "customer", claim, intentKey: { name: "x" } })).toBe(false);
    expect(await confirmCreate(db, { tenantId: ours, entity: "customer", splynxId: "7" })).toBe(false);
    expect(await db.transaction((tx) => deleteManualLink(tx, { tenantId: ours, splynxId: "7" }))).toBeUndefined();
    expect(await db.transaction((tx) => deleteTenantLinks(tx, { tenantId: ours }))).toBe(0);
    expect(
      await db.transaction((tx) => deleteTenantLinks(tx, { tenantId: ours, exceptOrganizationId: OTHER_ORGANIZATION })),
    ).toBe(0);
    await writeLink(db, link(ours, "synced"));
    expect(await linkRows(db, theirs)).toEqual(before);
    expect(await linkRows(db, ours)).toMatchObject([{ state: "synced", label: `label of ${ours}` }]);
  });

  it("names an organization from the tenant's own records only", async () => {
    const { db, person, ours, theirs } = await twins();
    await writeLink(db, link(ours, "synced", { organizationId: OTHER_ORGANIZATION }));
    // The other tenant chose that organization and is connected to it, under names of its own.
    await recordAudit(db, {
      tenantId: theirs,
      actor: { id: person.id, email: person.email },
      action: "zoho.organization_choose",
      target: "Their name for it",
      details: { organizationId: OTHER_ORGANIZATION },
    });
    await saveZohoConnection(db, {
      tenantId: theirs,
      region: "US",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      refreshTokenSealed: "sealed",
      organizationId: OTHER_ORGANIZATION,
      organizationName: "Their connection's name",
    });
    expect(await linkedOutside(db, { tenantId: ours, organizationId: ORGANIZATION })).toEqual([
      { organizationId: OTHER_ORGANIZATION, records: 1, name: null },
    ]);
  });
});

describe("the Zoho contacts cache, per tenant", () => {
  it("finds, matches, counts and clears only the tenant's own cached contacts", async () => {
    const { db, ours, theirs } = await twins();
    const contact = { contactId: CONTACT, name: "Zoë O'Brien", email: "zoe@example.net", companyName: "O'Brien Ltd" };
    await db.transaction((tx) =>
      replaceContactsCache(tx, { tenantId: theirs, contacts: [contact], loadedAt: new Date("2026-11-01T00:00:00Z") }),
    );
    const before = await cachedContacts(db, theirs);
    expect(before).toHaveLength(1);

    expect(await cachedContacts(db, ours)).toEqual([]);
    expect(await cacheSummary(db, ours)).toEqual({ contacts: 0, loadedAt: null });
    expect(await searchContacts(db, { tenantId: ours, text: "Zoë", limit: 20 })).toEqual([]);
    expect(await findCachedContact(db, { tenantId: ours, contactId: CONTACT })).toBeUndefined();
    expect(await cachedContactsByIds(db, { tenantId: ours, contactIds: [CONTACT] })).toEqual([]);
    expect(
      await unheldContactsMatching(db, {
        tenantId: ours,
        organizationId: ORGANIZATION,
        email: contact.email,
        name: contact.name,
      }),
    ).toEqual([]);
    expect(
      await unheldContactsMatching(db, { tenantId: ours, organizationId: ORGANIZATION, email: "", name: contact.name }),
    ).toEqual([]);
    await db.transaction((tx) => clearContactsCache(tx, { tenantId: ours }));
    await db.transaction((tx) => replaceContactsCache(tx, { tenantId: ours, contacts: [], loadedAt: new Date() }));
    await upsertCachedContacts(db, { tenantId: ours, contacts: [{ ...contact, name: "Ours" }], loadedAt: new Date() });
    expect(await cachedContacts(db, theirs)).toEqual(before);
    expect(await cacheSummary(db, theirs)).toEqual({ contacts: 1, loadedAt: new Date("2026-11-01T00:00:00Z") });
  });

  it("counts a contact as held only by the tenant's own links", async () => {
    const { db, ours, theirs } = await twins();
    const contact = { contactId: CONTACT, name: "Zoë O'Brien", email: "zoe@example.net", companyName: "" };
    await db.transaction((tx) =>
      replaceContactsCache(tx, { tenantId: ours, contacts: [contact], loadedAt: new Date() }),
    );
    await writeLink(db, link(theirs, "synced"));
    expect(
      await unheldContactsMatching(db, {
        tenantId: ours,
        organizationId: ORGANIZATION,
        email: contact.email,
        name: contact.name,
      }),
    ).toMatchObject([{ contactId: CONTACT }]);
    await writeLink(db, link(ours, "synced"));
    expect(
      await unheldContactsMatching(db, {
        tenantId: ours,
        organizationId: ORGANIZATION,
        email: contact.email,
        name: contact.name,
      }),
    ).toEqual([]);
  });
});

describe("reference data and mappings, per tenant", () => {
  it("lists, saves and erases only the tenant's own mappings and reference data", async () => {
    const { db, ours, theirs } = await twins();
    const records = [
      { kind: "splynx_tax" as const, externalId: "1", name: "VAT", details: { percentage: "20" } },
      { kind: "zoho_tax" as const, externalId: "99", name: "VAT 20", details: { percentage: "20" } },
    ];
    await db.transaction(async (tx) => {
      await replaceReferenceData(tx, { tenantId: theirs, records, loadedAt: new Date("2026-11-01T00:00:00Z") });
      await saveMappings(tx, { tenantId: theirs, kind: "tax", entries: [{ splynxId: "1", zohoValue: "99" }] });
    });
    const theirsBefore = {
      mappings: await listMappings(db, { tenantId: theirs }),
      reference: await listReference(db, { tenantId: theirs }),
    };
    expect(theirsBefore.mappings).toHaveLength(1);

    expect(await listMappings(db, { tenantId: ours })).toEqual([]);
    expect(await listReference(db, { tenantId: ours })).toEqual([]);
    expect(await referenceLoadedAt(db, ours)).toBeNull();
    // Mapping and unmapping the same Splynx tax here leaves theirs mapped.
    expect(
      await db.transaction((tx) =>
        saveMappings(tx, { tenantId: ours, kind: "tax", entries: [{ splynxId: "1", zohoValue: "98" }] }),
      ),
    ).toEqual([{ splynxId: "1", before: null, after: "98" }]);
    expect(
      await db.transaction((tx) =>
        saveMappings(tx, { tenantId: ours, kind: "tax", entries: [{ splynxId: "1", zohoValue: null }] }),
      ),
    ).toEqual([{ splynxId: "1", before: "98", after: null }]);
    await db.transaction((tx) => replaceReferenceData(tx, { tenantId: ours, records, loadedAt: new Date() }));
    expect(await db.transaction((tx) => eraseMappingData(tx, { tenantId: ours }))).toEqual({ mappings: 0 });
    expect({
      mappings: await listMappings(db, { tenantId: theirs }),
      reference: await listReference(db, { tenantId: theirs }),
    }).toEqual(theirsBefore);
    expect(await referenceLoadedAt(db, theirs)).toEqual(new Date("2026-11-01T00:00:00Z"));
  });
});

describe("connections, per tenant", () => {
  it("reads, tests, refreshes, points and removes only the tenant's own connections", async () => {
    const { db, ours, theirs } = await twins();
    await saveSplynxConnection(db, {
      tenantId: theirs,
      baseUrl: "https://theirs.splynx.app",
      authMode: "signature",
      apiKeySealed: "k",
      apiSecretSealed: "s",
    });
    await saveZohoConnection(db, {
      tenantId: theirs,
      region: "US",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      refreshTokenSealed: "sealed",
      organizationId: ORGANIZATION,
      organizationName: "Theirs",
      organizationPlan: "PROFESSIONAL",
    });
    const before = {
      splynx: await getSplynxConnection(db, { tenantId: theirs }),
      zoho: await getZohoConnection(db, { tenantId: theirs }),
    };

    expect(await getSplynxConnection(db, { tenantId: ours })).toBeUndefined();
    expect(await getZohoConnection(db, { tenantId: ours })).toBeUndefined();
    expect(await db.transaction((tx) => lockZohoConnection(tx, { tenantId: ours }))).toBeUndefined();
    await recordSplynxTest(db, { tenantId: ours, result: { ok: false, checks: [], testedAt: "2026-11-01T00:00:00Z" } });
    await storeAccessToken(db, { tenantId: ours, accessTokenSealed: "ours", expiresAt: new Date() });
    await markNeedsReconnect(db, { tenantId: ours, reason: "ours" });
    await chooseOrganization(db, {
      tenantId: ours,
      organizationId: null,
      organizationName: null,
      organizationPlan: null,
    });
    // Their organization's id, from our tenant: their plan stays.
    await forgetOrganizationPlan(db, { tenantId: ours, organizationId: ORGANIZATION });
    await deleteZohoConnection(db, { tenantId: ours });
    expect({
      splynx: await getSplynxConnection(db, { tenantId: theirs }),
      zoho: await getZohoConnection(db, { tenantId: theirs }),
    }).toEqual(before);
  });
});

describe("runs, per tenant", () => {
  it("returns the tenant's own run of a slot, never another tenant's run of the same slot", async () => {
    const { db, ours, theirs } = await twins();
    const slot = "2026-11-01T12:00:00.000Z";
    const their = await createRun(db, {
      tenantId: theirs,
      trigger: "schedule",
      requestedBy: null,
      entities: ["customer"],
      slot,
    });
    const first = await createRun(db, {
      tenantId: ours,
      trigger: "schedule",
      requestedBy: null,
      entities: ["customer"],
      slot,
    });
    expect(first.id).not.toBe(their.id);
    const again = await createRun(db, {
      tenantId: ours,
      trigger: "schedule",
      requestedBy: null,
      entities: ["customer"],
      slot,
    });
    expect(again).toMatchObject({ id: first.id, tenantId: ours });
  });

  it("sweeps only the tenant named", async () => {
    const { db, ours, theirs } = await twins();
    const their = await createRun(db, {
      tenantId: theirs,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    await db
      .update(syncRuns)
      .set({ status: "running", leaseUntil: sql`now() - interval '1 minute'` })
      .where(eq(syncRuns.id, their.id));
    expect(await sweepLapsedRuns(db, { tenantId: ours })).toEqual([]);
    expect((await db.select().from(syncRuns).where(eq(syncRuns.id, their.id)))[0]).toMatchObject({ status: "running" });
    expect(await sweepLapsedRuns(db, {})).toEqual(expect.arrayContaining([{ id: their.id, tenantId: theirs }]));
  });

  it("reads each tenant's own settings and connections for the schedule", async () => {
    const { db, ours, theirs } = await twins();
    await saveSplynxConnection(db, {
      tenantId: theirs,
      baseUrl: "https://theirs.splynx.app",
      authMode: "signature",
      apiKeySealed: "k",
      apiSecretSealed: "s",
    });
    await saveZohoConnection(db, {
      tenantId: theirs,
      region: "US",
      accountsServer: "https://accounts.zoho.com",
      apiDomain: "https://www.zohoapis.com",
      refreshTokenSealed: "sealed",
      organizationId: ORGANIZATION,
      organizationName: "Theirs",
    });
    const schedule = { enabled: true, launchTime: "01:30" };
    await saveSettingsRow(db, { tenantId: theirs, values: { general: { timeZone: "Asia/Tokyo" }, schedule } });
    // Only their tenant has both connections; it is grouped under its own zone and schedule, ours nowhere.
    const groups = await scheduleGroups(db);
    const holding = (tenantId: string) => groups.filter((group) => group.tenantIds.includes(tenantId));
    expect(holding(ours)).toEqual([]);
    expect(holding(theirs)).toEqual([expect.objectContaining({ timeZone: "Asia/Tokyo", schedule })]);
  });
});

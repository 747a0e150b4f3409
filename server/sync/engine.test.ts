// The engine on customers: zero duplicates, zero silent drops, zero calls for unchanged records.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { syncLinks } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { syncHarness } from "./testing/harness";

const database = registerTestDatabase();

async function linkStates(tenantId: string) {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, "customer")));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

describe("customer sync", () => {
  it("creates each customer once, then costs no Zoho call when nothing changed and one call per changed customer", async () => {
    const harness = await syncHarness(database.db, { customers: 120 });
    const first = await harness.runCustomers(50);
    expect(first).toMatchObject({ created: 120, failed: 0, skipped: 0 });
    // One create per customer, and one page of Zoho's contact list read to look for contacts typed in by hand.
    expect(first.zohoCalls).toBe(121);
    expect([...harness.zoho.store.organizations.values()][0]!.contacts.size).toBe(120);

    const second = await harness.runCustomers(50);
    expect(second).toMatchObject({ unchanged: 120, created: 0, updated: 0, zohoCalls: 0 });

    const customer = harness.splynx.store.customers.get(7)!;
    customer.phone = "+44 20 0000 0007";
    const third = await harness.runCustomers(50);
    expect(third).toMatchObject({ updated: 1, unchanged: 119, zohoCalls: 1 });
  });

  it("skips ignored partners and inactive customers with the rule, unless the customer is already linked", async () => {
    const harness = await syncHarness(database.db, { customers: 80 });
    await harness.runCustomers();
    const all = harness.splynx.store.customers.all();
    const inactive = all.filter((customer) => customer.status === "disabled");
    harness.setSettings({ customers: { ignoreInactive: true }, general: { ignoredPartnerIds: ["3"] } });
    // A new inactive customer, never linked, is skipped; the linked ones keep syncing.
    const fresh = harness.splynx.store.customers.insert({
      ...all[0]!,
      id: undefined,
      status: "disabled",
      partner_id: "1",
      name: "Late Inactive",
    });
    const run = await harness.runCustomers();
    const links = await linkStates(harness.tenant.id);
    expect(links.get(String(fresh.id))).toMatchObject({
      state: "skipped",
      message: 'Inactive customer, and "ignore inactive customers" is on.',
    });
    const inactiveKept = inactive.filter((candidate) => candidate.partner_id !== "3");
    expect(inactiveKept.length).toBeGreaterThan(0);
    for (const customer of inactiveKept) expect(links.get(String(customer.id))?.state).toBe("synced");
    const partnerThree = all.filter((customer) => customer.partner_id === "3");
    expect(partnerThree.length).toBeGreaterThan(0);
    for (const customer of partnerThree)
      expect(links.get(String(customer.id))).toMatchObject({
        state: "skipped",
        message: "Partner 3 is in the partners ignore list.",
      });
    expect(run.skipped).toBe(partnerThree.length + 1);
  });

  it("never duplicates when Zoho created the contact but the answer was lost, and accounts for every customer under faults", async () => {
    const harness = await syncHarness(database.db, { customers: 2000, windowMs: 100 });
    Object.assign(harness.zoho.faults, { dropRate: 0.05, dropPhase: "after", serverErrorRate: 0.05 });
    const first = await harness.runCustomers();
    expect(first.created + first.failed).toBe(2000);
    expect(first.failed).toBeGreaterThan(0);
    harness.zoho.resetFaults();

    // The next run finds the contacts whose creation answer was lost, instead of creating them again.
    const second = await harness.runCustomers();
    expect(second.failed).toBe(0);
    const links = await linkStates(harness.tenant.id);
    expect([...links.values()].filter((link) => link.state === "synced")).toHaveLength(2000);
    // One Zoho contact per customer: as many contacts as customers, each held by exactly one link.
    expect(new Set([...links.values()].map((link) => link.zohoId)).size).toBe(2000);
    expect(harness.contacts()).toHaveLength(2000);
  }, 120_000);
});

describe("cancelling a run", () => {
  it("stops at the next record boundary and keeps what was done", async () => {
    const harness = await syncHarness(database.db, { customers: 60 });
    const { requestCancel, createRun, getRun } = await import("@/db/queries/runs");
    const { syncPage, RunStop } = await import("./engine");
    const run = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    const context = harness.context(run.id);
    const first = await syncPage(context, "customer", { after: 0, pageSize: 20 });
    expect(first.counts.created).toBe(20);
    await requestCancel(database.db, { tenantId: harness.tenant.id, runId: run.id });
    await expect(syncPage(context, "customer", { after: first.lastId!, pageSize: 20 })).rejects.toBeInstanceOf(RunStop);
    expect([...harness.zoho.store.organizations.values()][0]!.contacts.size).toBe(20);
    expect(await getRun(database.db, { tenantId: harness.tenant.id, runId: run.id })).toMatchObject({
      cancelRequested: true,
    });
  });
});

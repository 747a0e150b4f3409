// The preview (SPEC §8): what the next run would do with each record, equal to what it then does, with no Zoho write.
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { createRun, finishRun } from "@/db/queries/runs";
import { emptyCounts, finishEntity } from "@/server/sync/engine";
import { ORGANIZATION, syncHarness } from "@/server/sync/testing/harness";
import { and, eq } from "drizzle-orm";
import { syncLinks, type RunCounts } from "@/db/schema";
import type { PreviewAction } from "./decide";
import { PREVIEW_ENTITIES, type PreviewRow } from "./preview";
import { readOnlyBooks } from "./read-only";
import { exportingHarness, previewThrough, runActions, zohoWrites } from "./testing";

const database = registerTestDatabase();
const mapped = async (customers: number, invoices: number) =>
  (await exportingHarness(database.db, { customers, invoices })).harness;

/** Per record, what the log shows: a run logs neither unchanged records nor one skipped again (`skippedBefore`). */
const keyed = (rows: PreviewRow[], skippedBefore = new Set<string>()) =>
  new Map(
    rows
      .map((row) => [`${row.entity}:${row.splynxId}`, row.action] as const)
      .filter(([key, action]) => action !== "unchanged" && !(action === "skip" && skippedBefore.has(key))),
  );

async function skippedLinks(tenantId: string) {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.state, "skipped")));
  return new Set(rows.map((row) => `${row.entity}:${row.splynxId}`));
}

const COUNTED: Record<PreviewAction, keyof RunCounts> = {
  create: "created",
  update: "updated",
  unchanged: "unchanged",
  skip: "skipped",
  fail: "failed",
  held: "held",
};

/** The preview's counts per entity as a run counts them: a record needed first counts with the page that needed it. */
function previewCounts(rows: PreviewRow[]) {
  const counts: Record<string, RunCounts> = {};
  for (const row of rows) {
    const entity = row.neededBy ?? row.entity;
    counts[entity] ??= { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 };
    counts[entity]![COUNTED[row.action]]++;
  }
  return counts;
}

/** Runs every entity in order, as "sync everything" does: its counts per entity and its run ids. */
async function runAll(harness: Awaited<ReturnType<typeof mapped>>) {
  const counts: Record<string, RunCounts> = {};
  const runIds: string[] = [];
  for (const entity of PREVIEW_ENTITIES) {
    const { created, updated, unchanged, skipped, failed, held, runId, records } = await harness.runEntity(entity);
    if (created + updated + unchanged + skipped + failed + held > 0)
      counts[entity] = { created, updated, unchanged, skipped, failed, held };
    runIds.push(runId);
    // After the last page, as the run function does: what Splynx no longer has is ended in Zoho.
    const sweep = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: [entity],
    });
    await finishEntity(harness.context(sweep.id), entity, records);
    await finishRun(database.db, { tenantId: harness.tenant.id, runId: sweep.id, status: "succeeded" });
    runIds.push(sweep.id);
    // The sweep's voids are logged, not added to the run's counts; the preview counts them as the updates they are.
    const ended = [...(await runActions(database.db, [sweep.id])).values()].length;
    if (ended > 0) {
      counts[entity] ??= emptyCounts();
      counts[entity].updated += ended;
    }
  }
  return { counts, actions: await runActions(database.db, runIds) };
}

describe("preview", () => {
  it("before a first sync, says per record what the run then does, entity after entity, and writes nothing to Zoho", async () => {
    const harness = await mapped(20, 50);
    // A contact typed into Zoho by hand with a Splynx customer's e-mail: that customer is held, its documents wait.
    const invoiced = new Set(harness.splynx.store.invoices.all().map((invoice) => invoice.customer_id));
    const typed = harness.splynx.store.customers
      .all()
      .find((customer) => customer.email && customer.status === "active" && invoiced.has(customer.id))!;
    const books = harness.context("setup").books;
    const contact = await books.createContact({
      contact_name: "Typed by hand",
      contact_type: "customer",
      contact_persons: [{ first_name: "A", email: String(typed.email), is_primary_contact: true }],
    });
    // And an invoice typed into Zoho with the number of another customer's Splynx invoice: that invoice fails. (One no
    // payment pays: a payment's run would try it again, which today adopts the typed invoice; reported to the engine.)
    const paid = new Set(harness.splynx.store.payments.all().map((payment) => payment.invoice_id));
    const numbered = harness.splynx.store.invoices
      .all()
      .find(
        (invoice) =>
          invoice.customer_id !== typed.id &&
          invoice.status !== "deleted" &&
          Number(invoice.total) > 0 &&
          !paid.has(invoice.id),
      )!;
    const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
    await books.createInvoice({
      customer_id: String(contact.contact_id),
      invoice_number: String(numbered.number),
      line_items: [{ item_id: String([...org.items.values()][0]!.item_id), rate: 1, quantity: 1 }],
    });
    const writesBefore = zohoWrites(harness);

    const preview = await previewThrough(database.db, harness, PREVIEW_ENTITIES);

    expect(zohoWrites(harness)).toBe(writesBefore);
    expect(preview.zohoCalls).toBeGreaterThan(0);
    expect(preview.zohoCalls).toBeLessThan(10);
    const actions = new Set(preview.rows.map((row) => row.action));
    expect([...actions].sort()).toEqual(["create", "fail", "held", "skip"]);
    expect(preview.rows.find((row) => row.entity === "customer" && row.splynxId === String(typed.id))).toMatchObject({
      action: "held",
    });
    expect(preview.rows.find((row) => row.entity === "invoice" && row.splynxId === String(numbered.id))).toMatchObject({
      action: "fail",
      message: expect.stringContaining(`already holds number ${String(numbered.number)}`),
    });
    const run = await runAll(harness);
    expect(previewCounts(preview.rows)).toEqual(run.counts);
    expect(keyed(preview.rows)).toEqual(run.actions);
  });

  it("after a sync, shows an update with the fields it changes against Zoho, an ended record, and the rest unchanged", async () => {
    const harness = await mapped(10, 24);
    for (const entity of PREVIEW_ENTITIES) await harness.runEntity(entity);
    const renamed = harness.splynx.store.customers.get(3)!;
    renamed.name = "Renamed Customer";
    const deleted = harness.splynx.store.invoices.all().find((invoice) => invoice.status === "not_paid")!;
    deleted.status = "deleted";
    const gone = harness.splynx.store.invoices
      .all()
      .find((invoice) => invoice.status === "not_paid" && invoice.id !== deleted.id)!;
    harness.splynx.store.invoices.remove(gone.id);
    const writesBefore = zohoWrites(harness);
    const skippedBefore = await skippedLinks(harness.tenant.id);

    const preview = await previewThrough(database.db, harness, PREVIEW_ENTITIES);

    expect(zohoWrites(harness)).toBe(writesBefore);
    const customer = preview.rows.find((row) => row.entity === "customer" && row.splynxId === "3")!;
    expect(customer.action).toBe("update");
    expect(customer.message).toContain("→ Renamed Customer");
    expect(preview.rows.find((row) => row.entity === "invoice" && row.splynxId === String(deleted.id))).toMatchObject({
      action: "update",
      message: "Deleted in Splynx. Its Zoho record would be ended.",
    });
    expect(preview.rows.find((row) => row.entity === "invoice" && row.splynxId === String(gone.id))).toMatchObject({
      action: "update",
      message: "Gone from Splynx: its Zoho record would be ended.",
    });
    const run = await runAll(harness);
    expect(previewCounts(preview.rows)).toEqual(run.counts);
    expect(keyed(preview.rows, skippedBefore)).toEqual(run.actions);
    expect(preview.rows.filter((row) => row.action === "unchanged").length).toBeGreaterThan(20);
  });

  it("refuses any Zoho write through the preview's client, before it reaches Zoho", async () => {
    const harness = await syncHarness(database.db, { customers: 1 });
    const books = readOnlyBooks(harness.context("preview").books);
    await expect(books.createContact({ contact_name: "Never", contact_type: "customer" })).rejects.toThrow(
      "A report never writes to Zoho (it tried POST /contacts).",
    );
    expect(zohoWrites(harness)).toBe(0);
    expect((await books.organizations()).length).toBeGreaterThan(0);
  });
});

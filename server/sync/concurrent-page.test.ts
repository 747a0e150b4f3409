// A page's records written to Zoho side by side (issue 13): the writes overlap up to the organization's concurrency,
// records competing for one Zoho record never race each other, and a stop mid-page leaves every record accounted for.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createRun, finishRun, requestCancel } from "@/db/queries/runs";
import { syncLinks, syncRunEntries, type SyncEntity } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { compare } from "@/server/money";
import { PageStop, syncPage } from "./engine";
import { writerLanes } from "./flow";
import { ORGANIZATION, syncHarness } from "./testing/harness";
import { depositToUndepositedFunds } from "./testing/payments";
import { SplynxError } from "@/server/splynx/errors";

const database = registerTestDatabase();
type Harness = Awaited<ReturnType<typeof syncHarness>>;

async function linksOf(tenantId: string, entity: SyncEntity) {
  return database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, entity)));
}

/** A run of the tenant and its sync context, for driving pages by hand. */
async function startRun(harness: Harness, entity: SyncEntity) {
  const run = await createRun(database.db, {
    tenantId: harness.tenant.id,
    trigger: "manual",
    requestedBy: null,
    entities: [entity],
  });
  return { run, context: harness.context(run.id) };
}

const HOLD_MS = 300;

/**
 * Holds the first create of each key until a create with the same key arrives (then both go on) or HOLD_MS pass, long
 * enough for a competing create sent meanwhile to arrive: returns the keys whose creates were in flight together.
 */
function watchCompetingCreates(harness: Harness, path: string, keyOf: (body: Record<string, unknown>) => string) {
  const held = new Map<string, () => void>();
  const together: string[] = [];
  harness.refusals.push(async (request) => {
    if (request.method !== "POST" || !new URL(request.url).pathname.endsWith(path)) return null;
    const key = keyOf((await request.clone().json()) as Record<string, unknown>);
    const first = held.get(key);
    if (first) {
      together.push(key);
      first();
      return null;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, HOLD_MS);
      held.set(key, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    held.delete(key);
    return null;
  });
  return together;
}

/**
 * Holds the contact create `held` picks (by the contact's name and the order creates came in) until one `awaited` picks
 * reaches Zoho, or HOLD_MS pass: `whileHeld` says whether it came meanwhile (the two were in flight together).
 */
function holdCreateUntil(
  harness: Harness,
  held: (name: string, order: number) => boolean,
  awaited: (name: string, order: number) => boolean,
) {
  let came = () => {};
  const arrival = new Promise<void>((resolve) => (came = resolve));
  const seen = { whileHeld: false };
  let creates = 0;
  harness.refusals.push(async (request) => {
    if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/contacts")) return null;
    const order = ++creates;
    const name = ((await request.clone().json()) as { contact_name: string }).contact_name;
    if (awaited(name, order)) came();
    if (held(name, order)) {
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HOLD_MS));
      seen.whileHeld = await Promise.race([arrival.then(() => true), timeout]);
    }
    return null;
  });
  return seen;
}

describe("a page written side by side", () => {
  it("writes side by side from a page's first record, its client new, once Zoho has told any worker the quota", async () => {
    const harness = await syncHarness(database.db, { customers: 23, windowMs: 2_000 });
    harness.zoho.faults.latencyMs = 25;
    const { run, context } = await startRun(harness, "customer");
    const first = await syncPage(context, "customer", { after: 0, pageSize: 20 });
    // The next page gets a client of its own, as each page of a run does: it has had no answer from Zoho yet.
    const next = harness.context(run.id);
    expect(next.books.quota).toBeNull();
    harness.zoho.peaks.inFlight = 0;

    const page = await syncPage(next, "customer", { after: first.lastId!, pageSize: 3 });

    expect(page.counts).toMatchObject({ created: 3 });
    // Not one record alone until Zoho answers it, and then the other two.
    expect(harness.zoho.peaks.inFlight).toBe(3);
  });

  it("opens its lanes once Zoho first reports the quota, without waiting for the first record to end", async () => {
    const harness = await syncHarness(database.db, { customers: 6, windowMs: 2_000 });
    const { context } = await startRun(harness, "customer");
    // The first create waits until another reaches Zoho (or HOLD_MS pass): the answer before it (the contact list
    // read) reported the quota, the first Zoho told this organization's workers.
    const first = holdCreateUntil(
      harness,
      (_name, order) => order === 1,
      (_name, order) => order > 1,
    );

    const page = await syncPage(context, "customer", { after: 0, pageSize: 6 });

    expect(first.whileHeld).toBe(true);
    expect(page.counts).toMatchObject({ created: 6 });
  });

  it("keeps several Zoho writes in flight, one fewer than the organization's concurrency, with no 429", async () => {
    const harness = await syncHarness(database.db, { customers: 80, windowMs: 2_000 });
    // Zoho's processing time: a call holds its in-flight slot meanwhile, as Zoho counts it.
    harness.zoho.faults.latencyMs = 25;
    const { context } = await startRun(harness, "customer");
    expect(context.books.concurrency).toBe(10);

    const page = await syncPage(context, "customer", { after: 0, pageSize: 80 });

    expect(page.counts).toMatchObject({ created: 80, failed: 0 });
    expect(harness.zoho.peaks.inFlight).toBeGreaterThan(1);
    expect(harness.zoho.peaks.inFlight).toBeLessThanOrEqual(9);
    expect(harness.zoho.peaks.rejected429).toBe(0);
    expect(harness.contacts()).toHaveLength(80);
  });

  it("pairs a Zoho contact with one customer only when two of one page match it (same name, e-mail)", async () => {
    const harness = await syncHarness(database.db, { customers: 30, settings: { general: { existingMatch: "pair" } } });
    const [original, twin] = [harness.splynx.store.customers.get(3)!, harness.splynx.store.customers.get(4)!];
    Object.assign(twin, { name: original.name, email: "twins@example.org", billing_email: "" });
    Object.assign(original, { email: "twins@example.org", billing_email: "" });
    // Typed into Zoho by hand before Ledgerlink came: both customers match it, and only one may take it.
    const typedByHand = await harness.context("set-up").books.createContact({
      contact_name: original.name,
      contact_type: "customer",
      contact_persons: [{ first_name: "A", email: "twins@example.org", is_primary_contact: true }],
    });

    const run = await harness.runCustomers();

    expect(run).toMatchObject({ created: 30, failed: 0, held: 0 });
    const links = new Map((await linksOf(harness.tenant.id, "customer")).map((link) => [link.splynxId, link]));
    expect(new Set([...links.values()].map((link) => link.zohoId)).size).toBe(30);
    const pair = [links.get("3")!, links.get("4")!];
    expect(pair.filter((link) => link.zohoId === String(typedByHand.contact_id))).toHaveLength(1);
    expect(pair.map((link) => link.state)).toEqual(["synced", "synced"]);
    // The one typed by hand, and 29 created: one of the twins got a contact of its own.
    expect(harness.contacts()).toHaveLength(30);
  });

  it("pairs a Zoho contact with one customer when one matches it by e-mail and another by name", async () => {
    const harness = await syncHarness(database.db, { customers: 30, settings: { general: { existingMatch: "pair" } } });
    // Zoho's processing time keeps both lookups ahead of either link write, as on a slow day.
    harness.zoho.faults.latencyMs = 40;
    const [byEmail, byName] = [harness.splynx.store.customers.get(3)!, harness.splynx.store.customers.get(4)!];
    Object.assign(byEmail, { name: "Acme Holdings", email: "acme@example.org", billing_email: "" });
    Object.assign(byName, { name: "Acme", email: "", billing_email: "" });
    const typedByHand = await harness.context("set-up").books.createContact({
      contact_name: "Acme",
      contact_type: "customer",
      contact_persons: [{ first_name: "A", email: "acme@example.org", is_primary_contact: true }],
    });
    const typedId = String(typedByHand.contact_id);

    await harness.runCustomers();

    const links = await linksOf(harness.tenant.id, "customer");
    const holders = links.filter((link) => link.zohoId === typedId);
    expect(holders).toHaveLength(1);
    // Zoho's contact carries the data of the customer linked to it, not of the one that lost it.
    const winner = holders[0]!.splynxId === "3" ? byEmail : byName;
    expect(harness.contacts().find((contact) => String(contact.contact_id) === typedId)?.contact_name).toBe(
      winner.name,
    );
    // The other one goes on as if it came second: its own contact, or Zoho's refusal of a second "Acme".
    const loser = links.find((link) => ["3", "4"].includes(link.splynxId) && link.zohoId !== typedId)!;
    if (loser.state === "failed") expect(loser.message).toMatch(/already exists/);
    else expect(loser).toMatchObject({ state: "synced", manual: false });
  });

  it("stores a plain message, never the database's words, when a record's result cannot be saved", async () => {
    const harness = await syncHarness(database.db, { customers: 5, settings: { general: { existingMatch: "pair" } } });
    const customer = harness.splynx.store.customers.get(3)!;
    Object.assign(customer, { email: "taken@example.org", billing_email: "" });
    const typedByHand = await harness.context("set-up").books.createContact({
      contact_name: "Taken Elsewhere",
      contact_type: "customer",
      contact_persons: [{ first_name: "T", email: "taken@example.org", is_primary_contact: true }],
    });
    const typedId = String(typedByHand.contact_id);
    // Another worker links the contact while this one updates it: the unique index refuses this one's link.
    harness.refusals.push(async (request) => {
      if (request.method === "PUT" && new URL(request.url).pathname.endsWith(`/contacts/${typedId}`))
        await database.db.insert(syncLinks).values({
          tenantId: harness.tenant.id,
          entity: "customer",
          splynxId: "9999",
          zohoId: typedId,
          organizationId: ORGANIZATION,
          state: "synced",
        });
      return null;
    });

    const run = await harness.runCustomers();

    expect(run.failed).toBe(1);
    const failed = (await linksOf(harness.tenant.id, "customer")).find((link) => link.splynxId === "3")!;
    const plain = "Ledgerlink could not save this record's result; it will be tried again.";
    expect(failed).toMatchObject({ state: "failed", zohoId: null, message: plain });
    const entries = await database.db
      .select()
      .from(syncRunEntries)
      .where(and(eq(syncRunEntries.tenantId, harness.tenant.id), eq(syncRunEntries.splynxId, "3")));
    expect(entries.map((entry) => entry.message)).toEqual([plain]);
  });

  it("never creates twice when two invoices of one page carry one number", async () => {
    const harness = await syncHarness(database.db, { customers: 10, invoices: 40 });
    await harness.mapSuggestions();
    const invoices = harness.splynx.store.invoices
      .all()
      .filter((invoice) => invoice.status !== "deleted" && compare(String(invoice.total), "0") >= 0);
    const [original, twin] = [invoices[2]!, invoices[3]!];
    twin.number = original.number;
    const together = watchCompetingCreates(harness, "/invoices", (body) => String(body.invoice_number));

    const run = await harness.runEntity("invoice");

    expect(together).toEqual([]);
    expect(run.failed).toBe(1);
    const organization = harness.zoho.store.organizations.get(ORGANIZATION)!;
    const numbered = [...organization.invoices.values()].filter((zoho) => zoho.invoice_number === original.number);
    expect(numbered).toHaveLength(1);
    const links = await linksOf(harness.tenant.id, "invoice");
    const holding = links.filter((link) => link.zohoId === String(numbered[0]!.invoice_id));
    expect(holding).toHaveLength(1);
    const other = links.find(
      (link) => [original.id, twin.id].map(String).includes(link.splynxId) && link !== holding[0],
    );
    expect(other).toMatchObject({ state: "failed", zohoId: null });
    expect(other!.message).toMatch(/already holds number/);
  });

  it("applies payments of one invoice one after the other, each to what the last left owing", async () => {
    const harness = await syncHarness(database.db, {
      customers: 10,
      invoices: 30,
      settings: { paymentsExport: { enabled: true, allowedMethodIds: ["1"], defaultPaymentMode: "cash" } },
    });
    await harness.mapSuggestions();
    const organization = harness.zoho.store.organizations.get(ORGANIZATION)!;
    await depositToUndepositedFunds(database.db, harness.tenant.id, organization);
    const payments = harness.splynx.store.payments;
    const shape = payments.all()[0]!;
    for (const payment of [...payments.all()]) payments.remove(payment.id);
    const invoice = harness.splynx.store.invoices
      .all()
      .find((row) => row.status === "not_paid" && compare(String(row.total), "0") > 0)!;
    // Three payments of the invoice's whole total, side by side in one page: the first pays it, the rest are credit.
    for (const receipt of ["R-1", "R-2", "R-3"])
      payments.insert({
        ...shape,
        id: undefined,
        customer_id: invoice.customer_id,
        invoice_id: invoice.id,
        payment_type: "1",
        amount: invoice.total,
        receipt_number: receipt,
        date: invoice.date_created,
      });

    const run = await harness.runEntity("payment");

    // The invoice and its customer are exported first, in the same page's counts.
    expect(run).toMatchObject({ created: 5, failed: 0 });
    expect(organization.payments.size).toBe(3);
    const zohoInvoice = [...organization.invoices.values()].find((row) => row.invoice_number === invoice.number)!;
    expect(zohoInvoice.balance).toBe(0);
    const applied = [...organization.payments.values()].flatMap(
      (payment) => payment.invoices as { invoice_id: string; amount_applied: number }[],
    );
    expect(applied.map((entry) => entry.amount_applied)).toEqual([Number(invoice.total)]);
  });
});

/**
 * Every customer of the page is accounted for: synced with its one Zoho contact, visibly interrupted (pending, with a
 * warning in the log and no Zoho contact), or never started (no link, no contact); no claim is left behind.
 */
async function expectAccountedFor(harness: Harness, runId: string, stop: PageStop, contacts = harness.contacts()) {
  const links = await linksOf(harness.tenant.id, "customer");
  const synced = links.filter((link) => link.state === "synced");
  const interrupted = links.filter((link) => link.state === "pending");
  expect(synced.length + interrupted.length).toBe(links.length);
  expect(new Set(synced.map((link) => link.zohoId)).size).toBe(synced.length);
  expect(contacts.map((contact) => String(contact.contact_id)).sort()).toEqual(
    synced.map((link) => link.zohoId).sort(),
  );
  expect(stop.partial.counts.created).toBe(synced.length);
  for (const link of interrupted) expect(link.message).toMatch(/^Interrupted: /);
  expect(links.filter((link) => link.claimId !== null)).toEqual([]);
  const warnings = await database.db
    .select()
    .from(syncRunEntries)
    .where(and(eq(syncRunEntries.runId, runId), eq(syncRunEntries.action, "warning")));
  expect(warnings.map((entry) => entry.splynxId).sort()).toEqual(interrupted.map((link) => link.splynxId).sort());
  return { synced, interrupted };
}

describe("a step of several pages", () => {
  const STEP = { pages: 3, budgetMs: 60_000 };

  it("goes on into its next page while the page before still writes, and says where it ended", async () => {
    const harness = await syncHarness(database.db, { customers: 12, windowMs: 2_000 });
    const { context } = await startRun(harness, "customer");
    const pages = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ].map((ids) => ids.map((id) => harness.splynx.store.customers.get(id)!.name));
    // The first page's last create waits until a create of the second page reaches Zoho (or HOLD_MS pass).
    const lastOfFirst = holdCreateUntil(
      harness,
      (name) => name === pages[0]![3],
      (name) => pages[1]!.includes(name),
    );

    const step = await syncPage(context, "customer", { after: 0, pageSize: 4, step: STEP });

    expect(lastOfFirst.whileHeld).toBe(true);
    // Three pages, its limit: the step cannot know whether more follow.
    expect(step).toMatchObject({ records: 12, counts: { created: 12 }, lastId: 12, done: false });
    expect(harness.contacts()).toHaveLength(12);
  });

  it("ends before a later page Splynx could not give: the pages done keep their step, the next step reads it", async () => {
    const harness = await syncHarness(database.db, { customers: 12, windowMs: 2_000 });
    const { context } = await startRun(harness, "customer");
    const { splynx } = context;
    const listing = splynx.pages.bind(splynx);
    let failing = true;
    // Splynx gives the first page, then fails the second read (once).
    splynx.pages = async function* (resource, options) {
      let read = 0;
      for await (const page of listing(resource, options)) {
        if (++read === 2 && failing) {
          failing = false;
          throw new SplynxError("server", "Splynx answered 502");
        }
        yield page;
      }
    } as typeof splynx.pages;

    const first = await syncPage(context, "customer", { after: 0, pageSize: 4, step: STEP });
    expect(first).toMatchObject({ records: 4, counts: { created: 4 }, lastId: 4, done: false });
    const rest = await syncPage(context, "customer", { after: first.lastId!, pageSize: 4, step: STEP });
    expect(rest).toMatchObject({ records: 8, counts: { created: 8 } });
    expect(harness.contacts()).toHaveLength(12);
  });

  it("handles a record tried again once, where the read of changes lists it again on a later page", async () => {
    const harness = await syncHarness(database.db, { customers: 8, windowMs: 2_000 });
    const { run, context } = await startRun(harness, "customer");
    await syncPage(context, "customer", { after: 0, pageSize: 8 });
    // Customer 6 failed last time, and changed since: the read of changes tries it first, then lists it on page 2.
    await database.db
      .update(syncLinks)
      .set({ state: "failed", message: "Zoho was down." })
      .where(and(eq(syncLinks.tenantId, harness.tenant.id), eq(syncLinks.splynxId, "6")));
    const since = new Date(Date.now() - 60_000).toISOString();
    for (const id of [2, 6])
      harness.splynx.store.customers.get(id)!.last_update = new Date().toISOString().replace("T", " ").slice(0, 19);
    const changes = { ...harness.context(run.id), changedSince: { customer: since } };

    const step = await syncPage(changes, "customer", { after: 0, pageSize: 1, step: STEP });

    expect(step.records).toBe(2);
  });

  it("keeps records of two pages competing for one e-mail one after the other", async () => {
    const harness = await syncHarness(database.db, { customers: 8, windowMs: 2_000 });
    const { context } = await startRun(harness, "customer");
    for (const id of [4, 5])
      Object.assign(harness.splynx.store.customers.get(id)!, { email: "shared@example.org", billing_email: "" });
    const together = watchCompetingCreates(harness, "/contacts", (body) =>
      JSON.stringify((body.contact_persons as { email?: string }[] | undefined)?.[0]?.email ?? ""),
    );

    const step = await syncPage(context, "customer", { after: 0, pageSize: 4, step: STEP });

    expect(together).toEqual([]);
    expect(step).toMatchObject({ records: 8, counts: { created: 8, failed: 0 }, done: true });
  });
});

describe("a stop in the middle of a page", () => {
  it("on a person's cancel, lets the writes in flight finish, starts no more; a later run does the rest", async () => {
    const harness = await syncHarness(database.db, { customers: 60 });
    const { run, context } = await startRun(harness, "customer");
    let creates = 0;
    let afterCancel = 0;
    let cancelled = false;
    harness.refusals.push(async (request) => {
      if (request.method !== "POST" || !request.url.includes("/contacts?")) return null;
      if (cancelled) afterCancel++;
      if (++creates === 20) {
        await requestCancel(database.db, { tenantId: harness.tenant.id, runId: run.id });
        cancelled = true;
      }
      return null;
    });

    const stop = await syncPage(context, "customer", { after: 0, pageSize: 60 }).catch((error: unknown) => error);

    expect(stop).toBeInstanceOf(PageStop);
    expect(stop).toMatchObject({ status: "cancelled", message: "Cancelled by a person." });
    const { synced, interrupted } = await expectAccountedFor(harness, run.id, stop as PageStop);
    expect(interrupted).toEqual([]);
    expect(synced.length).toBeGreaterThanOrEqual(20);
    expect(creates).toBe(synced.length);
    // Only records in flight beside the twentieth when the cancel came still create; none starts after it.
    expect(afterCancel).toBeLessThanOrEqual(writerLanes(context) - 1);

    await finishRun(database.db, { tenantId: harness.tenant.id, runId: run.id, status: "cancelled" });
    const rest = await harness.runCustomers();
    expect(rest).toMatchObject({ created: 60 - synced.length, failed: 0 });
    expect(harness.contacts()).toHaveLength(60);
  });

  it("when the organization is removed mid-page, interrupts the writes in flight, keeps the counts", async () => {
    const harness = await syncHarness(database.db, { customers: 60 });
    harness.zoho.faults.latencyMs = 25;
    const { run, context } = await startRun(harness, "customer");
    const organization = harness.zoho.store.organizations.get(ORGANIZATION)!;
    let creates = 0;
    harness.refusals.push(async (request) => {
      if (request.method === "POST" && request.url.includes("/contacts?") && ++creates === 20)
        harness.zoho.removeOrganization(ORGANIZATION);
      return null;
    });

    const stop = await syncPage(context, "customer", { after: 0, pageSize: 60 }).catch((error: unknown) => error);

    expect(stop).toBeInstanceOf(PageStop);
    expect(stop).toMatchObject({ status: "failed" });
    expect((stop as PageStop).message).toMatch(/not associated with the CompanyID/);
    const contacts = [...organization.contacts.values()];
    const { synced, interrupted } = await expectAccountedFor(harness, run.id, stop as PageStop, contacts);
    expect(synced.length + interrupted.length).toBeLessThan(60);
    // The twentieth create met the removed organization, and so did any write beside it that had not reached Zoho.
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBeLessThanOrEqual(writerLanes(context));
    expect((stop as PageStop).partial.counts.failed).toBe(0);
  });

  it("when another integration spends the daily quota mid-page, interrupts the writes in flight, pauses", async () => {
    const harness = await syncHarness(database.db, { customers: 60 });
    harness.zoho.faults.latencyMs = 25;
    const { run, context } = await startRun(harness, "customer");
    let creates = 0;
    harness.refusals.push(async (request) => {
      if (request.method === "POST" && request.url.includes("/contacts?") && ++creates === 20)
        harness.zoho.spendDailyQuota(ORGANIZATION, 5_000);
      return null;
    });

    const stop = await syncPage(context, "customer", { after: 0, pageSize: 60 }).catch((error: unknown) => error);

    expect(stop).toBeInstanceOf(PageStop);
    expect(stop).toMatchObject({ status: "paused", resumeAt: expect.any(Date) });
    const { synced, interrupted } = await expectAccountedFor(harness, run.id, stop as PageStop);
    expect(interrupted.length).toBeGreaterThan(0);
    expect(synced.length + interrupted.length).toBeLessThan(60);
  });
});

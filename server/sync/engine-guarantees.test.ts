// The engine's guarantees under change and concurrency (issue 8): each test fails on the engine before intents carried
// their key, claims were atomic, links carried their organization and existing Zoho contacts were looked for.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createRun } from "@/db/queries/runs";
import { confirmCreate } from "@/db/queries/sync";
import { recordDailyQuota, takeCallSlots } from "@/db/queries/zoho-limits";
import { syncLinks, syncRunEntries } from "@/db/schema";
import { registerTestDatabase } from "@/db/testing/test-database";
import { finishEntity, syncPage } from "./engine";
import { contactName } from "./entities/customers";
import { retryAfterFailures } from "./record";
import { syncHarness, ORGANIZATION } from "./testing/harness";
import { ZOHO_LIMITS } from "@/server/zoho/limiter";

const database = registerTestDatabase();
const OTHER_ORGANIZATION = "3719820000000000001";

async function links(tenantId: string) {
  const rows = await database.db
    .select()
    .from(syncLinks)
    .where(and(eq(syncLinks.tenantId, tenantId), eq(syncLinks.entity, "customer")));
  return new Map(rows.map((row) => [row.splynxId, row]));
}

async function entries(runId: string) {
  return database.db.select().from(syncRunEntries).where(eq(syncRunEntries.runId, runId)).orderBy(syncRunEntries.id);
}

/** Zoho takes the create but the answer never arrives: the connection drops once the contact exists. */
function loseCreateAnswerFor(harness: Awaited<ReturnType<typeof syncHarness>>, name: string) {
  harness.refusals.push(async (request) => {
    if (request.method !== "POST" || !request.url.includes("/contacts?")) return null;
    const body = (await request.clone().json()) as { contact_name: string };
    if (body.contact_name !== name) return null;
    await harness.zoho.handle(request);
    throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
  });
}

describe("exactly once through change", () => {
  it("finds the contact an interrupted create made even when the customer was renamed before the next run", async () => {
    const harness = await syncHarness(database.db, { customers: 10 });
    const customer = harness.splynx.store.customers.get(4)!;
    const sentName = contactName(customer as never, "{name}");
    loseCreateAnswerFor(harness, sentName);
    const first = await harness.runCustomers();
    expect(first).toMatchObject({ created: 9, failed: 1 });
    expect((await links(harness.tenant.id)).get("4")).toMatchObject({
      state: "failed",
      intentKey: { name: sentName, email: customer.email },
    });

    harness.refusals.length = 0;
    customer.name = `${customer.name} Renamed`;
    const second = await harness.runCustomers();
    expect(second).toMatchObject({ created: 1, failed: 0 });
    const contacts = harness.contacts();
    expect(contacts).toHaveLength(10);
    const link = (await links(harness.tenant.id)).get("4")!;
    expect(link).toMatchObject({ state: "synced", intentKey: null, organizationId: ORGANIZATION });
    expect(contacts.find((contact) => contact.contact_id === link.zohoId)?.contact_name).toBe(customer.name);
    expect((await entries(second.runId)).find((entry) => entry.splynxId === "4")).toMatchObject({ action: "adopted" });
  });

  it("searches a name longer than Zoho's 100-character filter by its start and compares it whole", async () => {
    const harness = await syncHarness(database.db, { customers: 3 });
    const customer = harness.splynx.store.customers.get(2)!;
    const longName = `${"Very Long Business Name ".repeat(6)}Ltd`;
    customer.name = longName;
    expect(longName.length).toBeGreaterThan(100);
    loseCreateAnswerFor(harness, longName);
    expect(await harness.runCustomers()).toMatchObject({ created: 2, failed: 1 });
    harness.refusals.length = 0;
    const filters: string[] = [];
    harness.refusals.push(async (request) => {
      const url = new URL(request.url);
      if (request.method === "GET" && url.pathname.endsWith("/contacts"))
        filters.push(
          ...[...url.searchParams.keys()]
            .filter((key) => key.startsWith("contact_name"))
            .map((key) => `${key}=${url.searchParams.get(key)!.length}`),
        );
      return null;
    });
    expect(await harness.runCustomers()).toMatchObject({ created: 1, failed: 0 });
    expect(filters).toEqual(["contact_name_startswith=100"]);
    expect(harness.contacts()).toHaveLength(3);
  });

  it("lets only one of two executions of the same page at once create each contact", async () => {
    const harness = await syncHarness(database.db, { customers: 40 });
    harness.zoho.faults.latencyMs = 5;
    const run = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    const [one, two] = await Promise.all([
      syncPage(harness.context(run.id), "customer", { after: 0, pageSize: 40 }),
      syncPage(harness.context(run.id), "customer", { after: 0, pageSize: 40 }),
    ]);
    expect(one.counts.created + two.counts.created).toBe(40);
    expect(harness.contacts()).toHaveLength(40);
    const zohoIds = [...(await links(harness.tenant.id)).values()].map((link) => link.zohoId);
    expect(new Set(zohoIds).size).toBe(40);
  });
});

describe("what Zoho already holds", () => {
  /** Contacts a person typed into Zoho before the first sync (through a run of their own, as the harness calls Zoho). */
  async function typeIntoZoho(harness: Awaited<ReturnType<typeof syncHarness>>, contacts: Record<string, unknown>[]) {
    const run = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    const books = harness.context(run.id).books;
    for (const contact of contacts) await books.createContact(contact);
    const { finishRun } = await import("@/db/queries/runs");
    await finishRun(database.db, { tenantId: harness.tenant.id, runId: run.id, status: "succeeded" });
  }

  async function withExistingContacts(existingMatch: "hold" | "pair") {
    const harness = await syncHarness(database.db, { customers: 30, settings: { general: { existingMatch } } });
    const typedByHand = harness.splynx.store.customers
      .all()
      .filter((customer) => customer.email)
      .slice(0, 5);
    expect(typedByHand).toHaveLength(5);
    await typeIntoZoho(
      harness,
      typedByHand.map((customer) => ({
        contact_name: `${customer.name} (typed by hand)`,
        contact_type: "customer",
        contact_persons: [
          { first_name: "A", email: String(customer.email).toUpperCase(), is_primary_contact: true },
          { first_name: "Accounts", email: "accounts@example.org" },
        ],
      })),
    );
    return { harness, typedByHand };
  }

  it("holds customers whose e-mail a free Zoho contact has, creating only the rest", async () => {
    const { harness, typedByHand } = await withExistingContacts("hold");
    const first = await harness.runCustomers();
    expect(first).toMatchObject({ created: 25, held: 5, failed: 0 });
    expect(harness.contacts()).toHaveLength(30);
    const held = [...(await links(harness.tenant.id)).values()].filter((link) => link.state === "held");
    expect(held.map((link) => link.splynxId).sort()).toEqual(typedByHand.map((customer) => String(customer.id)).sort());
    for (const link of held)
      expect(harness.contacts().find((contact) => contact.contact_id === link.candidateId)?.contact_name).toMatch(
        /typed by hand/,
      );
    // Held customers stay held, run after run, until a person decides.
    expect(await harness.runCustomers()).toMatchObject({ held: 5, created: 0 });
    expect(harness.contacts()).toHaveLength(30);
    // A person finds the first match is someone else: that customer is created; the others stay held.
    expect(
      await confirmCreate(database.db, {
        tenantId: harness.tenant.id,
        entity: "customer",
        splynxId: held[0]!.splynxId,
      }),
    ).toBe(true);
    expect(await harness.runCustomers()).toMatchObject({ held: 4, created: 1 });
    expect(harness.contacts()).toHaveLength(31);
  });

  it("holds customers without an e-mail whose name a Zoho contact has in another case, the page asked at once", async () => {
    const harness = await syncHarness(database.db, { customers: 30 });
    const nameless = harness.splynx.store.customers.all().slice(10, 13);
    for (const customer of nameless) Object.assign(customer, { email: "", billing_email: "" });
    await typeIntoZoho(
      harness,
      nameless.map((customer) => ({ contact_name: String(customer.name).toUpperCase(), contact_type: "customer" })),
    );

    expect(await harness.runCustomers()).toMatchObject({ created: 27, held: 3, failed: 0 });
    const held = [...(await links(harness.tenant.id)).values()].filter((link) => link.state === "held");
    expect(held.map((link) => link.splynxId).sort()).toEqual(nameless.map((customer) => String(customer.id)).sort());
    expect(held.every((link) => link.message?.includes("same name"))).toBe(true);
  });

  it("pairs them instead when the setting says so, keeping the contact's own persons", async () => {
    const { harness } = await withExistingContacts("pair");
    const first = await harness.runCustomers();
    expect(first).toMatchObject({ created: 30, held: 0 });
    expect(harness.contacts()).toHaveLength(30);
    expect([...(await links(harness.tenant.id)).values()].filter((link) => link.state === "synced")).toHaveLength(30);
    const paired = harness
      .contacts()
      .filter(
        (contact) =>
          String(contact.contact_name).endsWith("(typed by hand)") === false &&
          (contact.contact_persons as { first_name: string }[]).length === 2,
      );
    expect(paired).toHaveLength(5);
    for (const contact of paired)
      expect((contact.contact_persons as { first_name: string; email: string }[])[1]).toMatchObject({
        first_name: "Accounts",
        email: "accounts@example.org",
      });
  });
});

describe("records that spend no Zoho call", () => {
  it("are written a page at once: a book the settings skip costs a statement a page, not one a record", async () => {
    // Every statement the engine sends through `execute` or `insert` during the run, counted.
    let statements = 0;
    const counted = new Proxy(database.db, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== "function") return value;
        if (key !== "execute" && key !== "insert") return value.bind(target);
        return (...args: unknown[]) => {
          statements++;
          return value.apply(target, args);
        };
      },
    });
    const settings = { general: { ignoredPartnerIds: ["1", "2", "3", "4", "5"] } };
    const harness = await syncHarness(counted, { customers: 120, settings });
    statements = 0;
    expect(await harness.runCustomers()).toMatchObject({ skipped: 120, created: 0 });
    // The run's own rows, the Records index and the skipped links with their entries: a handful, not 120.
    expect(statements).toBeLessThan(12);
    const all = [...(await links(harness.tenant.id)).values()];
    expect(all.filter((link) => link.state === "skipped" && /ignore list/.test(link.message ?? ""))).toHaveLength(120);
    const skipped = await database.db
      .select()
      .from(syncRunEntries)
      .where(and(eq(syncRunEntries.tenantId, harness.tenant.id), eq(syncRunEntries.action, "skipped")));
    expect(skipped).toHaveLength(120);
    // Skipped by the same rule again: counted, nothing written.
    statements = 0;
    expect(await harness.runCustomers()).toMatchObject({ skipped: 120 });
    expect(statements).toBeLessThan(12);
  });
});

describe("links belong to one organization", () => {
  it("creates in the new organization what was synced to the old one, and never counts the old links as synced", async () => {
    const harness = await syncHarness(database.db, { customers: 12 });
    expect(await harness.runCustomers()).toMatchObject({ created: 12 });
    const switched = await harness.runCustomers(200, { organizationId: OTHER_ORGANIZATION });
    expect(switched).toMatchObject({ created: 12, unchanged: 0 });
    expect(harness.contacts(OTHER_ORGANIZATION)).toHaveLength(12);
    const switchedLinks = [...(await links(harness.tenant.id)).values()];
    expect(switchedLinks).toHaveLength(12);
    for (const link of switchedLinks) expect(link.organizationId).toBe(OTHER_ORGANIZATION);
  });
});

describe("nothing dropped, nothing hidden", () => {
  it("gives a record Splynx sends unreadable a failed link with the reason", async () => {
    const harness = await syncHarness(database.db, { customers: 6 });
    Object.assign(harness.splynx.store.customers.get(3)!, { name: { first: "not", last: "text" } });
    const run = await harness.runCustomers();
    expect(run).toMatchObject({ created: 5, failed: 1, records: 6 });
    expect((await links(harness.tenant.id)).get("3")).toMatchObject({
      state: "failed",
      message: expect.stringMatching(/^Splynx sent an unreadable record: name: /),
    });
  });

  it("sends the first address Zoho accepts from a list or a typo, and says so", async () => {
    const harness = await syncHarness(database.db, { customers: 3 });
    Object.assign(harness.splynx.store.customers.get(1)!, { email: "anna@example.net, bob@example.net" });
    Object.assign(harness.splynx.store.customers.get(2)!, { email: "not an address" });
    const run = await harness.runCustomers();
    expect(run).toMatchObject({ created: 3, failed: 0 });
    const byId = new Map(harness.contacts().map((contact) => [String(contact.contact_name), contact]));
    const first = byId.get(String(harness.splynx.store.customers.get(1)!.name))!;
    expect((first.contact_persons as { email: string }[])[0]!.email).toBe("anna@example.net");
    // The page's records are written side by side: their entries in whichever order they finished.
    const notes = new Map((await entries(run.runId)).map((entry) => [entry.splynxId, entry.message]));
    expect(notes.get("1")).toBe(
      'E-mail "anna@example.net, bob@example.net" is not one address Zoho accepts; sent anna@example.net.',
    );
    expect(notes.get("2")).toBe('E-mail "not an address" is not an address Zoho accepts; sent none.');
  });

  it("logs a warning when the records handled differ from Splynx's count", async () => {
    const harness = await syncHarness(database.db, { customers: 5 });
    const run = await createRun(database.db, {
      tenantId: harness.tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["customer"],
    });
    const context = harness.context(run.id);
    await finishEntity(context, "customer", 5);
    expect(await entries(run.id)).toEqual([]);
    await finishEntity(context, "customer", 4);
    expect(await entries(run.id)).toMatchObject([
      {
        action: "warning",
        splynxId: "-",
        message: expect.stringMatching(/^Splynx counts 5 customer records, and this run handled 4/),
      },
    ]);
  });
});

describe("the engine with Zoho's and Splynx's options on and off", () => {
  it.each([true, false])(
    "with duplicate display names allowed: %s, two customers of one name end as Zoho decides",
    async (allowed) => {
      const harness = await syncHarness(database.db, { customers: 4 });
      harness.zoho.setPreferences(ORGANIZATION, { allowDuplicateDisplayNames: allowed });
      harness.splynx.store.customers.get(3)!.name = String(harness.splynx.store.customers.get(2)!.name);
      const run = await harness.runCustomers();
      expect(run).toMatchObject(allowed ? { created: 4, failed: 0 } : { created: 3, failed: 1 });
      if (allowed) return;
      const refused = [...(await links(harness.tenant.id)).values()].find((link) => link.state === "failed")!;
      expect(refused.message).toMatch(
        /^The customer ".*" already exists\. Please specify a different name\. Zoho refuses a second contact with this name: add \{id\} to the customer name pattern/,
      );
    },
  );

  it("reads every customer when Splynx caps its pages below the size asked for", async () => {
    const harness = await syncHarness(database.db, { customers: 130 });
    harness.splynx.config.maxPageSize = 50;
    expect(await harness.runCustomers(200)).toMatchObject({ created: 130, records: 130 });
  });
});

describe("failed records back off; the quota keeps its reserve", () => {
  it("retries a refused record on the next run, then waits doubling times, unless a person retries or it changes", async () => {
    const harness = await syncHarness(database.db, { customers: 4 });
    const refused = harness.splynx.store.customers.get(2)!;
    harness.refusals.push(async (request) => {
      if (request.method !== "POST" || !(await request.clone().text()).includes(String(refused.name))) return null;
      return Response.json({ code: 1062, message: "Refused by Zoho for this test." }, { status: 400 });
    });
    // Each run with a first create reads the changes to Zoho's contact list once (one page here) before creating.
    expect(await harness.runCustomers()).toMatchObject({ created: 3, failed: 1, zohoCalls: 5 });
    expect((await links(harness.tenant.id)).get("2")).toMatchObject({ failures: 1, retryAfter: null, intentKey: null });
    expect(await harness.runCustomers()).toMatchObject({ failed: 1, zohoCalls: 2 });
    const waiting = (await links(harness.tenant.id)).get("2")!;
    expect(waiting.failures).toBe(2);
    expect(waiting.retryAfter!.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const third = await harness.runCustomers();
    expect(third).toMatchObject({ failed: 1, zohoCalls: 0 });
    expect((await entries(third.runId))[0]!.message).toMatch(
      /^Not tried again before .* \(failed 2 times in a row\): Refused by Zoho for this test\.$/,
    );
    expect(await harness.runCustomers(200, { retry: true })).toMatchObject({ failed: 1, zohoCalls: 2 });
    harness.refusals.length = 0;
    refused.phone = "+44 1";
    expect(await harness.runCustomers()).toMatchObject({ created: 1, failed: 0 });
    expect(retryAfterFailures(1)).toBeNull();
    expect(retryAfterFailures(12, 0)!.getTime()).toBe(24 * 60 * 60_000);
  });

  it("stops once with Zoho's reason when the organization is removed mid-run, instead of failing every record", async () => {
    const harness = await syncHarness(database.db, { customers: 40 });
    let created = 0;
    harness.refusals.push(async (request) => {
      if (request.method === "POST" && request.url.includes("/contacts?") && ++created === 10)
        harness.zoho.removeOrganization(ORGANIZATION);
      return null;
    });
    const run = await harness.runCustomers();
    expect(run.stopped).toMatchObject({ status: "failed" });
    expect(run.stopped!.message).toMatch(/organization/i);
    expect(run.failed).toBe(0);
    const links = await database.db.select().from(syncLinks).where(eq(syncLinks.tenantId, harness.tenant.id));
    expect(links.filter((link) => link.state === "failed")).toHaveLength(0);
    // The record that met the removal and those written beside it (9 at most at once) are interrupted.
    const interrupted = links.filter((link) => link.state === "pending");
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBeLessThanOrEqual(9);
    for (const link of interrupted) expect(link.message).toMatch(/^Interrupted: /);
  });

  it("pauses at the tenant's reserve of the daily quota, with the time it goes on", async () => {
    const harness = await syncHarness(database.db, {
      customers: 60,
      settings: { general: { quotaReservePercent: 20 } },
    });
    // The professional plan allows 5,000 calls a day: leave 1,020, so twenty calls reach the 1,000 kept in reserve.
    harness.zoho.spendDailyQuota(ORGANIZATION, 3_980);
    const run = await harness.runCustomers();
    expect(run.stopped).toMatchObject({ status: "paused", resumeAt: expect.any(Date) });
    expect(run.stopped!.message).toMatch(
      /^Paused: 1000 of Zoho's 5000 calls for today are left, and 20 % \(1000\) is kept/,
    );
    expect(run.zohoCalls).toBe(20);
    expect(harness.contacts()).toHaveLength(19);
  });

  it("keeps the reserve on the stored quota, counted down per call, when Zoho's answers do not say it", async () => {
    const harness = await syncHarness(database.db, {
      customers: 30,
      settings: { general: { quotaReservePercent: 20 } },
    });
    // Zoho's answers without X-Rate-Limit-* headers: the quota is known only as a worker stored it.
    harness.refusals.push(async (request) => {
      const answer = await harness.zoho.handle(request);
      const headers = new Headers(answer.headers);
      for (const name of ["X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"]) headers.delete(name);
      return new Response(answer.body, { status: answer.status, headers });
    });
    await takeCallSlots(database.db, {
      organizationId: ORGANIZATION,
      wanted: 0,
      released: [],
      policy: ZOHO_LIMITS,
      now: null,
    });
    await recordDailyQuota(database.db, {
      organizationId: ORGANIZATION,
      limit: 5_000,
      remaining: 1_010,
      resetsAt: new Date(Date.now() + 3_600_000),
    });

    const run = await harness.runCustomers();

    // Ten calls reach the 1,000 kept in reserve: the page's lanes never take it past them.
    expect(run.stopped).toMatchObject({ status: "paused" });
    expect(run.zohoCalls).toBeLessThanOrEqual(10);
  });
});

import { describe, expect, it, vi } from "vitest";
import { claimRun, createRun, finishRun, recordProgress } from "@/db/queries/runs";
import { type callerFor, ownedTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { indexSplynx } from "../testing/index-refresh";

const database = registerTestDatabase();

// The tenant's Books client retries a 5xx read six times as in production, but 1 ms apart rather than Zoho's backoff of
// seconds: the attempts are the proof, the pauses between them are only waiting.
vi.mock("@/server/zoho/books", async (importOriginal) => {
  const books = await importOriginal<typeof import("@/server/zoho/books")>();
  class QuickBackoffClient extends books.ZohoBooksClient {
    constructor(options: import("@/server/zoho/books").BooksClientOptions) {
      super({ backoffMs: 1, ...options });
    }
  }
  return { ...books, ZohoBooksClient: QuickBackoffClient };
});

type Caller = ReturnType<typeof callerFor>;

const runEnded = (caller: Caller, tenantSlug: string, runId: string) =>
  vi.waitFor(
    async () => {
      const run = await caller.sync.run({ tenantSlug, runId });
      if (run.status === "queued" || run.status === "running") throw new Error("still running");
      return run;
    },
    { timeout: 60_000, interval: 50 },
  );

describe("sync procedures", () => {
  it("retry one: a failed customer is retried as a run of its own, and its link heals", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    // Records lists the customers Splynx's read put in the index, as connecting Splynx does.
    await indexSplynx(caller, tenantSlug);
    // Past the customers the sandbox's Zoho already holds, so this one is created rather than held for review.
    const splynxId = "40";
    const ended = (runId: string) => runEnded(caller, tenantSlug, runId);
    sandboxZoho(tenant.id).faults.serverErrorRate = 1;
    try {
      const { runId } = await caller.sync.retryOne({ tenantSlug, splynxId });
      expect(await ended(runId)).toMatchObject({
        trigger: "retry",
        status: "succeeded",
        counts: { failed: 1, created: 0 },
      });
    } finally {
      sandboxZoho(tenant.id).resetFaults();
    }
    const failed = await caller.records.list({ tenantSlug, state: "failed" });
    expect(failed.records).toEqual([expect.objectContaining({ splynxId, message: "Internal error" })]);
    expect(failed.failed).toBe(1);

    const { runId } = await caller.sync.retryOne({ tenantSlug, splynxId });
    expect(await ended(runId)).toMatchObject({ status: "succeeded", counts: { created: 1, failed: 0 } });
    expect((await caller.records.list({ tenantSlug, state: "synced" })).records).toEqual([
      expect.objectContaining({ splynxId, state: "synced", zohoId: expect.stringMatching(/^\d{19}$/) }),
    ]);
    expect(await caller.records.list({ tenantSlug, state: "failed" })).toMatchObject({ records: [], failed: 0 });
    const { runs } = await caller.sync.runs({ tenantSlug });
    expect(runs.map((run) => [run.trigger, run.status])).toEqual([
      ["retry", "succeeded"],
      ["retry", "succeeded"],
    ]);
    expect(runs[0]!.requestedByEmail).toMatch(/@example\.test$/);
  }, 90_000);
});

/** Cancels a run just started and waits until it has ended. */
async function stopped(caller: Caller, tenantSlug: string, runId: string) {
  await caller.sync.cancel({ tenantSlug, runId });
  await runEnded(caller, tenantSlug, runId);
}

describe("starting a sync before its setup", () => {
  it("refuses with the reason and where it is fixed, entity by entity, and starts nothing", async () => {
    const { tenant, caller } = await ownedTenant(database.db);
    const tenantSlug = tenant.slug;
    await expect(caller.sync.start({ tenantSlug, entities: ["customer"] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Can't sync customers yet: Splynx is not connected. Connect Splynx first.",
    });
    await expect(caller.sync.retryOne({ tenantSlug, splynxId: "1" })).rejects.toMatchObject({
      message: "Can't sync customers yet: Splynx is not connected. Connect Splynx first.",
    });
    const { blockers, entities } = await caller.sync.overview({ tenantSlug });
    expect(Object.keys(blockers).sort()).toEqual([...entities].sort());
    expect(blockers.invoice).toEqual({
      reason: "Splynx is not connected.",
      fix: "Connect Splynx",
      path: "connections/splynx",
    });
    expect((await caller.sync.runs({ tenantSlug })).runs).toEqual([]);
  });

  it("lets customers sync once both connections exist, and documents and payments once mapping data is loaded", async () => {
    const { tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const mappingMissing = {
      reason: "The mapping data is not loaded, so categories, taxes and payment methods have nothing to map to.",
      fix: "Load and map it",
      path: "mapping",
    };
    const before = await caller.sync.overview({ tenantSlug });
    expect(before.blockers).toEqual({
      invoice: mappingMissing,
      credit_note: mappingMissing,
      payment: mappingMissing,
      payment_import: mappingMissing,
    });
    await expect(caller.sync.start({ tenantSlug, entities: ["customer", "credit_note"] })).rejects.toMatchObject({
      message: `Can't sync credit notes yet: ${mappingMissing.reason} Load and map it first.`,
    });

    await caller.mapping.load({ tenantSlug });
    const { settings } = await caller.settings.get({ tenantSlug });
    await caller.settings.save({
      tenantSlug,
      settings: { ...settings, paymentsImport: { ...settings.paymentsImport, enabled: true } },
    });
    expect((await caller.sync.overview({ tenantSlug })).blockers).toEqual({
      payment_import: {
        reason: "Payments import needs the accounting payment method (the one imported payments get in Splynx).",
        fix: "Choose it in Settings",
        path: "settings",
      },
    });
    // The payments import's mode reaches the run: all payments when asked for, new payments by default.
    const all = await caller.sync.start({ tenantSlug, entities: ["invoice"], paymentsImportMode: "all" });
    expect(await caller.sync.run({ tenantSlug, runId: all.runId })).toMatchObject({ paymentsImportMode: "new" });
    await stopped(caller, tenantSlug, all.runId);
    const { paymentsImport } = settings;
    await caller.settings.save({
      tenantSlug,
      settings: { ...settings, paymentsImport: { ...paymentsImport, accountingMethodId: "1" } },
    });
    for (const mode of ["all", "new"] as const) {
      const { runId } = await caller.sync.start({ tenantSlug, entities: ["payment_import"], paymentsImportMode: mode });
      expect(await caller.sync.run({ tenantSlug, runId })).toMatchObject({ paymentsImportMode: mode });
      await stopped(caller, tenantSlug, runId);
    }
  }, 40_000);
});

describe("a running sync's progress", () => {
  it("carries an ETA from the calls per record so far and Zoho's per-minute limit; an ended run has none", async () => {
    const { person, tenant, caller } = await sandboxTenant(database.db);
    const tenantSlug = tenant.slug;
    const ofTenant = { tenantId: tenant.id };
    const run = await createRun(database.db, { ...ofTenant, trigger: "manual", requestedBy: person.id, entities: [] });
    await claimRun(database.db, { ...ofTenant, runId: run.id });
    const noCounts = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 };
    const page = { ...ofTenant, runId: run.id, counts: noCounts, step: "customer" };
    await recordProgress(database.db, { ...page, zohoCalls: 0, done: 0, total: 150 });
    expect(await caller.sync.current({ tenantSlug })).toMatchObject({ id: run.id, eta: null });
    // 2 calls a record, 125 left: 250 calls at 100 a minute.
    await recordProgress(database.db, { ...page, zohoCalls: 50, done: 25, total: 150 });
    expect(await caller.sync.current({ tenantSlug })).toMatchObject({
      progress: { done: 25, total: 150, step: "customer" },
      zohoCalls: 50,
      eta: { text: "about 3 minutes: Zoho allows 100 calls a minute", tomorrow: false },
    });
    await finishRun(database.db, { ...ofTenant, runId: run.id, status: "succeeded" });
    expect(await caller.sync.current({ tenantSlug })).toMatchObject({ id: run.id, status: "succeeded", eta: null });
  });
});

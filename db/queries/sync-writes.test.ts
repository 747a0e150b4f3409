// A page's link writes in one statement (columns that differ between records, a record written twice, the entries),
// every value kept as sent in one JSON parameter, and a claimed record's intent written to that one row.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRun } from "@/db/queries/runs";
import { splynxRecords, syncLinks, syncRunEntries, type SyncEntity } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { rowsOf } from "@/db/rows";
import { registerTestDatabase } from "@/db/testing/test-database";
import { upsertIndexRows } from "./splynx-index";
import { addEntries, claimLink, intentUpdate, recordIntent, writeLinksWithEntries } from "./sync";

const database = registerTestDatabase();

/** A new tenant and a run of it syncing the entity. */
async function tenantRunning(entity: SyncEntity) {
  const { db } = database;
  const tenant = await makeTenant(db, await makePerson(db, "owner"));
  const run = await createRun(db, { tenantId: tenant.id, trigger: "manual", requestedBy: null, entities: [entity] });
  return { tenant, run };
}

describe("addEntries", () => {
  it("writes a step's batch of entries, more than one statement holds, every one", async () => {
    const { db } = database;
    const { tenant, run } = await tenantRunning("customer");
    // Past what one statement can carry: 65,535 parameters, six an entry.
    const entries = Array.from({ length: 12_000 }, (_, index) => ({
      entity: "customer" as const,
      splynxId: String(index + 1),
      action: "skipped" as const,
      message: "Not tried again before tomorrow.",
    }));

    await addEntries(db, { tenantId: tenant.id, runId: run.id, entries });

    const stored = await db.select().from(syncRunEntries).where(eq(syncRunEntries.runId, run.id));
    expect(new Set(stored.map((entry) => entry.splynxId)).size).toBe(12_000);
  });
});

describe("writeLinksWithEntries", () => {
  it("writes each record's last link and every entry, whatever columns each link writes", async () => {
    const { db } = database;
    const { tenant, run } = await tenantRunning("invoice");
    const base = { tenantId: tenant.id, entity: "invoice" as const };
    const retryAfter = new Date("2026-12-01T10:00:00Z");
    await writeLinksWithEntries(db, {
      runId: run.id,
      writes: [
        {
          link: { ...base, splynxId: "1", label: "INV-1", state: "skipped", message: "first rule" },
          entry: { entity: "invoice", splynxId: "1", action: "skipped", message: "first rule" },
        },
        {
          link: { ...base, splynxId: "2", label: "INV-2", state: "failed", message: "no tax", failures: 2, retryAfter },
          entry: { entity: "invoice", splynxId: "2", action: "failed", message: "no tax" },
        },
        {
          link: { ...base, splynxId: "1", label: "INV-1", state: "skipped", message: "second rule" },
          entry: { entity: "invoice", splynxId: "1", action: "skipped", message: "second rule" },
        },
        {
          link: { ...base, splynxId: "3", label: "INV-3", state: "skipped", details: { splynxTotal: "1.50" } },
          entry: null,
        },
      ],
    });
    const links = await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenant.id));
    const byId = new Map(links.map((link) => [link.splynxId, link]));
    expect(byId.get("1")).toMatchObject({ state: "skipped", message: "second rule", label: "INV-1" });
    expect(byId.get("2")).toMatchObject({ state: "failed", message: "no tax", failures: 2, retryAfter });
    expect(byId.get("3")).toMatchObject({ state: "skipped", details: { splynxTotal: "1.50" } });
    const entries = await db
      .select({ splynxId: syncRunEntries.splynxId, message: syncRunEntries.message })
      .from(syncRunEntries)
      .where(and(eq(syncRunEntries.tenantId, tenant.id), eq(syncRunEntries.runId, run.id)));
    expect(entries.map((entry) => `${entry.splynxId}: ${entry.message}`).sort()).toEqual([
      "1: first rule",
      "1: second rule",
      "2: no tax",
    ]);
  });
});

// Rows go to PostgreSQL as one JSON parameter (db/json-rows.ts): every value must arrive as the column types it.
describe("rows sent as JSON", () => {
  const awkward = [`O'Brien "Ltd" \\ co`, "line\nbreak\ttab", "Zoë 🦊 Ünïcode", "{braces},[brackets]", "", "NULL"];
  // Text cut through an emoji (a message cut to its first 200 characters) keeps a lone surrogate, which JSON cannot
  // carry to PostgreSQL: it is stored as U+FFFD, as a text parameter stores it, and the rest of the page is written.
  const cut = "fox 🦊".slice(0, -1);

  it("keep text, jsonb, instants, numbers and booleans exactly, for one link and for a page of them", async () => {
    const { db } = database;
    const { tenant, run } = await tenantRunning("customer");
    const claimedUntil = new Date("2026-12-01T10:00:00.123Z");
    const link = (label: string, index: number) => ({
      tenantId: tenant.id,
      entity: "customer" as const,
      splynxId: String(index + 1),
      label,
      state: "failed" as const,
      message: label,
      manual: index % 2 === 0,
      failures: index,
      retryAfter: claimedUntil,
      intentKey: { name: label, email: `${index}@example.test` },
      details: { number: label, splynxTotal: "10.50" },
    });
    await writeLinksWithEntries(db, {
      runId: run.id,
      writes: [
        {
          link: link(awkward[0]!, 0),
          entry: { entity: "customer", splynxId: "1", action: "failed", message: awkward[0] },
        },
      ],
    });
    await writeLinksWithEntries(db, {
      runId: run.id,
      writes: awkward.slice(1).map((label, index) => ({
        link: link(label, index + 1),
        entry: { entity: "customer" as const, splynxId: String(index + 2), action: "failed" as const, message: label },
      })),
    });
    await writeLinksWithEntries(db, { runId: run.id, writes: [{ link: link(cut, 99), entry: null }] });
    const links = await db.select().from(syncLinks).where(eq(syncLinks.tenantId, tenant.id));
    expect(links.sort((a, b) => Number(a.splynxId) - Number(b.splynxId))).toMatchObject([
      ...awkward.map((label, index) => ({ ...link(label, index), claimId: null, claimedUntil: null })),
      link("fox \uFFFD", 99),
    ]);
    const entries = await db.select().from(syncRunEntries).where(eq(syncRunEntries.runId, run.id));
    expect(entries.map((entry) => entry.message).sort()).toEqual([...awkward].sort());
  });

  it("keep a page's Records index rows, and a second read of them updates each in place", async () => {
    const { db } = database;
    const { tenant } = await tenantRunning("customer");
    const row = (label: string, index: number) => ({
      entity: "customer" as const,
      splynxId: String(index + 1),
      label,
      customerId: null,
      date: "2026-11-26",
      amount: "1.10",
      status: label === "" ? null : "active",
      changedAt: "2026-11-26 08:00:00",
    });
    const read = (at: string, labels: string[]) =>
      upsertIndexRows(db, { tenantId: tenant.id, rows: labels.map(row), seenAt: new Date(at) });
    await read("2026-11-26T09:00:00Z", [...awkward, cut]);
    await read(
      "2026-11-26T08:00:00Z",
      [...awkward, cut].map((label) => `${label}!`),
    );
    const kept = await db.select().from(splynxRecords).where(eq(splynxRecords.tenantId, tenant.id));
    expect(kept.sort((a, b) => Number(a.splynxId) - Number(b.splynxId))).toMatchObject(
      [...awkward, "fox \uFFFD"].map((label, index) => ({
        ...row(`${label}!`, index),
        seenAt: new Date("2026-11-26T09:00:00Z"),
        removedAt: null,
      })),
    );
  });
});

type PlanNode = { "Node Type": string; "Actual Rows": number; "Rows Removed by Filter"?: number; Plans?: PlanNode[] };
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe("recordIntent", () => {
  it("writes the claimed row alone, before the links table has statistics, and not once the row was written since", async () => {
    const { db } = database;
    const { tenant, run } = await tenantRunning("customer");
    // A first sync's links: the table holds thousands of the tenant's rows and no statistics on them yet.
    const link = (id: number) => ({
      tenantId: tenant.id,
      entity: "customer" as const,
      splynxId: String(id),
      label: `C${id}`,
    });
    for (let first = 1; first <= 2000; first += 500)
      await writeLinksWithEntries(db, {
        runId: run.id,
        writes: Array.from({ length: 500 }, (_, i) => ({
          link: { ...link(first + i), state: "pending" as const },
          entry: null,
        })),
      });
    const claim = await claimLink(db, { ...link(1500), claimId: randomUUID(), claimMs: 60_000 });
    const intent = {
      tenantId: tenant.id,
      entity: "customer" as const,
      claim: claim!,
      intentKey: { email: "a@b.example" },
    };

    const [explained] = await rowsOf<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      db,
      sql`explain (analyze, format json) ${intentUpdate(intent)}`,
    );
    const scanned = nodesOf(explained!["QUERY PLAN"][0].Plan).reduce(
      (rows, node) => rows + (node["Rows Removed by Filter"] ?? 0) + (node.Plans ? 0 : node["Actual Rows"]),
      0,
    );
    expect(scanned).toBe(1);
    const [written] = await db
      .select()
      .from(syncLinks)
      .where(and(eq(syncLinks.tenantId, tenant.id), eq(syncLinks.splynxId, "1500")));
    expect(written).toMatchObject({ state: "pending", intentKey: { email: "a@b.example" }, claimId: claim!.claimId });
    // The row was written since the claim (the intent just now): its version is gone, so this intent is refused.
    expect(await recordIntent(db, intent)).toBe(false);
  });
});

// A page's link writes in one statement (columns that differ between records, a record written twice, the entries), and
// a claimed record's intent written to that one row.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRun } from "@/db/queries/runs";
import { syncLinks, syncRunEntries, type SyncEntity } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { rowsOf } from "@/db/rows";
import { registerTestDatabase } from "@/db/testing/test-database";
import { claimLink, intentUpdate, recordIntent, writeLinksWithEntries } from "./sync";

const database = registerTestDatabase();

/** A new tenant and a run of it syncing the entity. */
async function tenantRunning(entity: SyncEntity) {
  const { db } = database;
  const tenant = await makeTenant(db, await makePerson(db, "owner"));
  const run = await createRun(db, { tenantId: tenant.id, trigger: "manual", requestedBy: null, entities: [entity] });
  return { tenant, run };
}

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

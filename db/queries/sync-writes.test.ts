// A page's link writes in one statement: columns that differ between records, a record written twice, the entries.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRun } from "@/db/queries/runs";
import { syncLinks, syncRunEntries } from "@/db/schema";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { writeLinksWithEntries } from "./sync";

const database = registerTestDatabase();

describe("writeLinksWithEntries", () => {
  it("writes each record's last link and every entry, whatever columns each link writes", async () => {
    const { db } = database;
    const tenant = await makeTenant(db, await makePerson(db, "owner"));
    const run = await createRun(db, {
      tenantId: tenant.id,
      trigger: "manual",
      requestedBy: null,
      entities: ["invoice"],
    });
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

// The audit log: keyset pages within one tenant, filters, and the choices the filters offer.
import { describe, expect, it } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { auditLog } from "../schema";
import { auditFilterOptions, listAudit } from "./audit";

const database = registerTestDatabase();

describe("listAudit", () => {
  it("pages by keyset without gaps or repeats, newest first, within one tenant and its filters", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    const bob = await makePerson(db, "bob");
    const tenant = await makeTenant(db, alice);
    const other = await makeTenant(db, bob);
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
    await db.insert(auditLog).values(
      Array.from({ length: 25 }, (_, index) => ({
        tenantId: index % 5 === 4 ? other.id : tenant.id,
        actorId: index % 2 === 0 ? alice.id : bob.id,
        actorEmail: index % 2 === 0 ? alice.email : bob.email,
        action: index % 3 === 0 ? "member.invite" : "auth.sign_in",
        createdAt: day(1 + index),
      })),
    );

    const seen: number[] = [];
    const pageSizes: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await listAudit(db, { tenantId: tenant.id, limit: 7, before: cursor });
      seen.push(...page.entries.map((entry) => entry.id));
      pageSizes.push(page.entries.length);
      expect(page.entries.filter((entry) => entry.tenantId !== tenant.id)).toEqual([]);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(pageSizes).toEqual([7, 7, 6]);
    expect(seen).toHaveLength(20);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);

    const filtered = await listAudit(db, {
      tenantId: tenant.id,
      actorId: alice.id,
      action: "member.invite",
      from: day(5),
      to: day(20),
      limit: 50,
    });
    expect(filtered.entries.map((entry) => entry.createdAt.toISOString())).toEqual(
      [day(19), day(13), day(7)].map((date) => date.toISOString()),
    );

    const options = await auditFilterOptions(db, tenant.id);
    expect(options.actions).toEqual(["auth.sign_in", "member.invite"]);
    expect(options.actors.map((actor) => actor.id).sort()).toEqual([alice.id, bob.id].sort());
  });
});

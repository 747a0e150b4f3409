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

  it("offers each person and e-mail pair once, and each action, from the tenant's own entries only", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    const bob = await makePerson(db, "bob");
    const tenant = await makeTenant(db, alice);
    const other = await makeTenant(db, bob);
    const entry = (tenantId: string, actorId: string | null, actorEmail: string | null, action: string) => ({
      tenantId,
      actorId,
      actorEmail,
      action,
    });
    await db
      .insert(auditLog)
      .values([
        entry(tenant.id, alice.id, "old@example.test", "member.invite"),
        entry(tenant.id, alice.id, alice.email, "auth.sign_in"),
        entry(tenant.id, alice.id, alice.email, "auth.sign_in"),
        entry(tenant.id, bob.id, alice.email, "sync.start"),
        entry(tenant.id, null, "gone@example.test", "auth.sign_in"),
        entry(tenant.id, null, null, "sync.schedule"),
        entry(other.id, bob.id, bob.email, "other.action"),
      ]);

    const options = await auditFilterOptions(db, tenant.id);
    expect(options.actions).toEqual(["auth.sign_in", "member.invite", "sync.schedule", "sync.start"]);
    expect(options.actors).toEqual(
      [
        { id: alice.id, email: alice.email },
        { id: bob.id, email: alice.email },
        { id: alice.id, email: "old@example.test" },
      ].sort((a, b) => (a.email === b.email ? a.id.localeCompare(b.id) : a.email.localeCompare(b.email))),
    );
    expect(await auditFilterOptions(db, (await makeTenant(db, bob)).id)).toEqual({ actions: [], actors: [] });
  });

  it("keeps a date range's edges inclusive and answers an empty range with nothing", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    const tenant = await makeTenant(db, alice);
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
    await db
      .insert(auditLog)
      .values([1, 2, 3, 4].map((n) => ({ tenantId: tenant.id, action: `day.${n}`, createdAt: day(n) })));
    const actions = async (range: { from?: Date; to?: Date }) =>
      (await listAudit(db, { tenantId: tenant.id, limit: 10, ...range })).entries.map((entry) => entry.action);

    expect(await actions({ from: day(2), to: day(3) })).toEqual(["day.3", "day.2"]);
    expect(await actions({ from: day(3) })).toEqual(["day.4", "day.3"]);
    expect(await actions({ to: day(1) })).toEqual(["day.1"]);
    expect(await actions({ from: day(5) })).toEqual([]);
    expect(await actions({ to: new Date(Date.UTC(2026, 9, 1)) })).toEqual([]);
  });

  it("finds an entry whose transaction began inside the range but took its id after a later one", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    const tenant = await makeTenant(db, alice);
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 12, minutes));
    // A long transaction: "slow" began at 12:00 but inserted (took its id) after "quick", which began at 12:05.
    for (const [action, minutes] of [
      ["before", -60],
      ["quick", 5],
      ["slow", 0],
      ["after", 120],
    ] as const)
      await db.insert(auditLog).values({ tenantId: tenant.id, action, createdAt: at(minutes) });
    const actions = async (range: { from?: Date; to?: Date }) =>
      (await listAudit(db, { tenantId: tenant.id, limit: 10, ...range })).entries.map((entry) => entry.action);
    expect(await actions({ from: at(0), to: at(10) })).toEqual(["slow", "quick"]);
    expect(await actions({ from: at(0) })).toEqual(["after", "slow", "quick"]);
    expect(await actions({ to: at(5) })).toEqual(["slow", "quick", "before"]);
  });
});

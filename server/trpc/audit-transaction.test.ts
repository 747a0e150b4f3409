// The audit row and the change it records commit or roll back together.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, tenants } from "@/db/schema";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";

const database = registerTestDatabase();

/** A database whose transactions fail when they write to the audit log, as a full disk or a bug would. */
function withFailingAudit(db: Db): Db {
  const failingTx = (tx: Db) =>
    new Proxy(tx, {
      get(target, property, receiver) {
        if (property !== "insert") return Reflect.get(target, property, receiver);
        return (table: unknown) => {
          if (table === auditLog) throw new Error("audit log unavailable");
          return target.insert(table as typeof tenants);
        };
      },
    });
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "transaction") return Reflect.get(target, property, receiver);
      return (work: (tx: Db) => Promise<unknown>) => target.transaction((tx) => work(failingTx(tx)));
    },
  });
}

describe("audit and change", () => {
  it("commit together", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    await callerFor(db, owner).tenants.rename({ tenantSlug: tenant.slug, name: "Renamed ISP" });
    const [row] = await db.select().from(tenants).where(eq(tenants.id, tenant.id));
    const entries = await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id));
    expect(row!.name).toBe("Renamed ISP");
    expect(entries).toMatchObject([
      { action: "tenant.rename", details: { name: { before: "tenant ISP", after: "Renamed ISP" } } },
    ]);
  });

  it("roll back together when the audit write fails", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    await expect(
      callerFor(withFailingAudit(db), owner).tenants.rename({ tenantSlug: tenant.slug, name: "Unaudited" }),
    ).rejects.toThrow("audit log unavailable");
    const [row] = await db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.name).toBe("tenant ISP");
    expect(await db.select().from(auditLog).where(eq(auditLog.tenantId, tenant.id))).toEqual([]);
  });

  it("creating a tenant is rolled back with its audit entry", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    await expect(
      callerFor(withFailingAudit(db), owner).tenants.create({ name: "Ghost ISP", slug: "ghost-isp" }),
    ).rejects.toThrow("audit log unavailable");
    expect(await db.select().from(tenants).where(eq(tenants.slug, "ghost-isp"))).toEqual([]);
  });
});

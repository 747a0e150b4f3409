// Records through its procedures: connecting Splynx fills the index by its job (in this process, against the sandbox's
// Splynx), every customer is listed before any sync as not synced yet, in pages; refreshing is for admins, one at a time.
import { describe, expect, it, vi } from "vitest";
import { acceptInvitation, createInvitation } from "@/db/queries/invitations";
import { claimIndexRefresh, finishIndexRefresh } from "@/db/queries/splynx-index";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_SPLYNX_KEYS, SANDBOX_SPLYNX_URL } from "@/server/sandbox";

const database = registerTestDatabase();

async function connectedTenant() {
  const { db } = database;
  const person = await makePerson(db, "admin");
  const tenant = await makeTenant(db, person);
  const caller = callerFor(db, person);
  const tenantSlug = tenant.slug;
  const { key: apiKey, secret: apiSecret } = SANDBOX_SPLYNX_KEYS.full;
  await caller.splynx.save({ tenantSlug, baseUrl: SANDBOX_SPLYNX_URL, authMode: "signature", apiKey, apiSecret });
  expect((await caller.splynx.test({ tenantSlug })).ok).toBe(true);
  return { person, tenant, caller, tenantSlug };
}

/** The refresh the connection started, once it has ended. */
const refreshEnded = (caller: ReturnType<typeof callerFor>, tenantSlug: string) =>
  vi.waitFor(
    async () => {
      const refresh = await caller.records.refreshStatus({ tenantSlug });
      if (refresh?.status !== "succeeded") throw new Error(`refresh ${refresh?.status}: ${refresh?.error ?? ""}`);
      return refresh;
    },
    { timeout: 30_000, interval: 100 },
  );

describe("records procedures", () => {
  it("lists every Splynx customer as not synced yet once Splynx is connected, page after page", async () => {
    const { caller, tenantSlug } = await connectedTenant();
    const refresh = await refreshEnded(caller, tenantSlug);
    expect(refresh).toMatchObject({ entity: "payment", error: null });
    const first = await caller.records.list({ tenantSlug, entity: "customer", limit: 200 });
    const second = await caller.records.list({ tenantSlug, entity: "customer", limit: 200, cursor: first.nextCursor });
    const all = [...first.records, ...second.records];
    expect([first.records.length, second.records.length, second.nextCursor]).toEqual([200, 50, null]);
    expect(new Set(all.map((record) => record.splynxId)).size).toBe(250);
    expect(all.map((record) => Number(record.splynxId))).toEqual(
      [...all.map((record) => Number(record.splynxId))].sort((a, b) => a - b),
    );
    expect(new Set(all.map((record) => record.state))).toEqual(new Set(["unsynced"]));
    const unsynced = await caller.records.list({ tenantSlug, entity: "invoice", state: "unsynced", limit: 5 });
    expect(unsynced.records).toHaveLength(5);
    expect(unsynced.records[0]!.customerName).toEqual(expect.any(String));
    const synced = await caller.records.list({ tenantSlug, entity: "invoice", state: "synced", limit: 5 });
    expect(synced.records).toEqual([]);
  }, 60_000);

  it("refreshes for admins only, one at a time, audited; no other tenant's member sees the records", async () => {
    const { db } = database;
    const { caller, tenantSlug, tenant, person } = await connectedTenant();
    await refreshEnded(caller, tenantSlug);
    // A refresh another worker is running holds the tenant's turn until it ends.
    const running = (await claimIndexRefresh(db, { tenantId: tenant.id, staleMs: 60_000 }))!;
    await expect(caller.records.refresh({ tenantSlug })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Splynx is being read already; this list refreshes when it ends.",
    });
    await finishIndexRefresh(db, { tenantId: tenant.id, refreshId: running.id, status: "succeeded" });
    expect(await caller.records.refresh({ tenantSlug })).toEqual({ started: true });
    await refreshEnded(caller, tenantSlug);
    const audit = await caller.audit.list({ tenantSlug });
    expect(audit.entries.filter((entry) => entry.action === "records.refresh")).toHaveLength(1);

    const viewer = await makePerson(db, "viewer");
    const invitation = await createInvitation(db, {
      tenantId: tenant.id,
      email: viewer.email,
      role: "viewer",
      invitedBy: person.id,
    });
    await db.transaction((tx) => acceptInvitation(tx, { token: invitation.token, person: viewer }));
    const asViewer = callerFor(db, viewer);
    await expect(asViewer.records.refresh({ tenantSlug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asViewer.records.list({ tenantSlug, limit: 1 })).records).toHaveLength(1);
    const stranger = callerFor(db, await makePerson(db, "stranger"));
    await expect(stranger.records.list({ tenantSlug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.records.refreshStatus({ tenantSlug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  }, 60_000);
});

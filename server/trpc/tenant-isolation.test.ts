// Every tenant procedure, called by a member of tenant A with tenant B's slug, or with A's own slug and B's ids, is
// refused or answers with nothing of B's; B's data is unchanged after. The second kind reaches the queries themselves,
// so it fails when a query loses its tenant condition.
import { describe, expect, it, vi } from "vitest";
import { listMembers, findMembership } from "@/db/queries/tenants";
import { listAudit } from "@/db/queries/audit";
import { listOpenInvitations } from "@/db/queries/invitations";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { SANDBOX_SPLYNX_URL } from "@/server/sandbox";
import { sandboxTenant } from "@/server/zoho/testing/sandbox-tenant";
import { holdings, victimTenant, type Victim } from "./testing/victim-tenant";
import { tenantProcedures } from "./tenant-procedures";

const database = registerTestDatabase();

/** The tenant procedures, read from the router; never an empty list that would let the loops below pass vacuously. */
function tenantProcedurePaths(): string[] {
  const paths = tenantProcedures().map((procedure) => procedure.path);
  expect(paths.length).toBeGreaterThanOrEqual(40);
  return paths;
}

function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<unknown> {
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

/** An answer or a refusal as text: what a person calling the API would get to read. */
async function outcomeOf(attempt: Promise<unknown>): Promise<{ refused: boolean; code?: string; text: string }> {
  const text = (value: unknown) =>
    JSON.stringify(value, (_key, item: unknown) =>
      typeof item === "bigint"
        ? String(item)
        : item instanceof Map
          ? [...item]
          : item instanceof Set
            ? [...item]
            : item,
    ) ?? "undefined";
  return attempt.then(
    (value) => ({ refused: false, text: text(value) }),
    (error: Error & { code?: string; cause?: Error }) => ({
      refused: true,
      code: error.code,
      text: `${error.message} ${error.cause?.message ?? ""} ${text(error)}`,
    }),
  );
}

let victimOnce: Promise<Victim> | undefined;
/** One victim for the file: tests only read it, and the attack test proves it unchanged. */
const victim = () => (victimOnce ??= victimTenant(database.db));

/**
 * An owner of their own tenant connected to the very Splynx and Zoho organization the victim uses: the same customer
 * ids and Zoho ids, so only the tenant condition tells the two apart.
 */
async function attacker() {
  const { person, tenant, caller } = await sandboxTenant(database.db);
  await caller.tenants.rename({ tenantSlug: tenant.slug, name: "Attacker ISP" });
  return { person, tenant, caller };
}

/** Waits, within a bound, until the tenant has no run queued or running (a retry started one in this process). */
async function runsEnded(caller: ReturnType<typeof callerFor>, tenantSlug: string) {
  await vi.waitFor(
    async () => expect(["queued", "running"]).not.toContain((await caller.sync.current({ tenantSlug }))?.status),
    { timeout: 60_000, interval: 100 },
  );
}

// Procedures that act on the caller's own tenant as a whole and name no record: called with another tenant's slug
// above, but not here, where they would end the attacker's own tenant, connection or membership mid-attack.
const SELF_ENDING = ["tenants.delete", "zoho.disconnect", "members.leave"];

/** Inputs that name the victim's records: each procedure takes the fields it knows, so new ones get them too. */
function inputsNaming(target: Victim, tenantSlug: string): Record<string, unknown>[] {
  const { ids } = target;
  const base = {
    tenantSlug,
    runId: ids.finishedRunId,
    splynxId: ids.links.synced.splynxId,
    membershipId: ids.memberMembershipId,
    invitationId: ids.invitationId,
    contactId: ids.contactId,
    actorId: target.owner.id,
    organizationId: ids.organizationId,
    kind: "tax",
    entries: [{ splynxId: ids.referenceSplynxId, zohoValue: null }],
    pairs: [{ splynxId: ids.links.manual.splynxId, contactId: ids.contactId }],
    label: "attacker",
    role: "viewer",
    pattern: "{name}",
    confirmation: "no",
    forgetOrganization: false,
  };
  return [
    base,
    { ...base, runId: ids.activeRunId, membershipId: ids.ownerMembershipId, splynxId: ids.links.manual.splynxId },
    { ...base, splynxId: ids.links.failed.splynxId, state: "failed", action: "failed" },
    { ...base, text: "Victim" },
    { ...base, text: ids.links.synced.splynxId },
    { ...base, text: "victim-" },
    ...(["category_item", "method_account", "method_mode"] as const).map((kind) => ({ ...base, kind })),
  ];
}

describe("tenant isolation at the door: another tenant's slug", () => {
  it("finds the tenant procedures", () => {
    const paths = tenantProcedurePaths();
    expect(paths).toEqual(
      expect.arrayContaining([
        "tenants.current",
        "tenants.delete",
        "members.changeRole",
        "audit.list",
        "sync.runs",
        "sync.run",
        "sync.entries",
        "records.list",
        "sync.cancel",
        "pairing.unpair",
      ]),
    );
  });

  it("refuses every tenant procedure for another tenant's slug, with nothing of it in the error", async () => {
    const { db } = database;
    const target = await victim();
    const { caller } = await attacker();
    const before = await holdings(db, target);
    for (const path of tenantProcedurePaths()) {
      const outcome = await outcomeOf(
        call(caller, path, {
          ...inputsNaming(target, target.tenant.slug)[0],
          name: "pwned",
          email: "x@example.test",
          role: "owner",
          confirmation: target.tenant.slug,
        }),
      );
      expect(outcome, path).toMatchObject({
        refused: true,
        code: "NOT_FOUND",
        text: expect.stringMatching(/^Tenant not found\. /),
      });
      for (const marker of target.markers.filter((marker) => marker !== target.tenant.slug))
        expect(outcome.text, `${path} leaks ${marker}`).not.toContain(marker);
    }
    expect(await holdings(db, target)).toEqual(before);
  });

  it("refuses every tenant procedure to someone signed out", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    for (const path of tenantProcedurePaths()) {
      await expect(call(callerFor(db, null), path, { tenantSlug: tenant.slug }), path).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: "Sign in first.",
      });
    }
  });
});

describe("tenant isolation inside the queries: one's own slug, another tenant's ids", () => {
  it("answers every tenant procedure with nothing of the other tenant, and changes none of its data", async () => {
    const { db } = database;
    const target = await victim();
    const { caller, tenant } = await attacker();
    const before = await holdings(db, target);
    const paths = tenantProcedurePaths().filter((path) => !SELF_ENDING.includes(path));
    let answered = 0;
    for (const path of paths) {
      for (const input of inputsNaming(target, tenant.slug)) {
        const outcome = await outcomeOf(call(caller, path, input));
        if (!outcome.refused) answered++;
        for (const marker of target.markers)
          expect(outcome.text, `${path} ${JSON.stringify(input)} leaks ${marker}`).not.toContain(marker);
      }
    }
    // Most procedures really ran their queries for the attacker rather than stopping at validation.
    expect(answered).toBeGreaterThanOrEqual(paths.length * 3);
    await runsEnded(caller, tenant.slug);
    expect(await holdings(db, target)).toEqual(before);
    expect(
      await findMembership(db, {
        slug: tenant.slug,
        personId: (await listMembers(db, { tenantId: tenant.id }))[0]!.personId,
      }),
    ).toMatchObject({ role: "owner" });
  });

  it("reads no run, entry or record of another tenant", async () => {
    const target = await victim();
    const { caller, tenant } = await attacker();
    const tenantSlug = tenant.slug;
    const { ids } = target;
    expect(await caller.sync.runs({ tenantSlug })).toEqual({ runs: [], nextCursor: null });
    await expect(caller.sync.run({ tenantSlug, runId: ids.finishedRunId })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No such run.",
    });
    await expect(caller.sync.run({ tenantSlug, runId: ids.activeRunId })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No such run.",
    });
    expect(await caller.sync.entries({ tenantSlug, runId: ids.finishedRunId })).toEqual({
      entries: [],
      nextCursor: null,
    });
    expect(await caller.sync.entries({ tenantSlug, runId: ids.finishedRunId, action: "failed" })).toEqual({
      entries: [],
      nextCursor: null,
    });
    expect(await caller.records.list({ tenantSlug })).toMatchObject({ records: [], nextCursor: null, failed: 0 });
    expect(await caller.records.list({ tenantSlug, state: "failed", text: ids.links.failed.splynxId })).toMatchObject({
      records: [],
      nextCursor: null,
      failed: 0,
    });
    expect(await caller.records.list({ tenantSlug, text: ids.links.synced.zohoId })).toMatchObject({ records: [] });
    expect(await caller.sync.overview({ tenantSlug })).toMatchObject({
      lastRun: null,
      failed: 0,
      held: 0,
      paused: false,
    });
    expect(await caller.sync.current({ tenantSlug })).toBeNull();
  });

  it("cancels, pairs and unpairs nothing of another tenant", async () => {
    const { db } = database;
    const target = await victim();
    const { caller, tenant } = await attacker();
    const tenantSlug = tenant.slug;
    const { ids } = target;
    await expect(caller.sync.cancel({ tenantSlug, runId: ids.activeRunId })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No running sync with this id.",
    });
    await expect(caller.pairing.unpair({ tenantSlug, splynxId: ids.links.manual.splynxId })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This customer is not paired by hand.",
    });
    await expect(
      caller.pairing.pair({ tenantSlug, splynxId: ids.links.synced.splynxId, contactId: ids.contactId, label: "mine" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await caller.pairing.search({ tenantSlug, text: "Victim" })).toEqual([]);
    expect(await caller.pairing.summary({ tenantSlug })).toEqual({ contacts: 0, loadedAt: null });
    expect(await caller.pairing.suggestions({ tenantSlug })).toEqual([]);
    // The same Splynx customer ids as the victim's links, and none of them synced or paired here.
    const customers = (await caller.pairing.customers({ tenantSlug })).rows;
    expect(
      customers.filter((customer) =>
        [ids.links.synced.splynxId, ids.links.failed.splynxId, ids.links.manual.splynxId].includes(customer.splynxId),
      ),
    ).toHaveLength(3);
    expect(customers.filter((customer) => customer.state !== "not_paired" || customer.zohoId !== null)).toEqual([]);
    expect((await holdings(db, target)).activeRun).toMatchObject({ cancelRequested: false, status: "running" });
  });

  it("sees, changes and revokes no member or invitation of another tenant", async () => {
    const { db } = database;
    const target = await victim();
    const { caller, tenant, person } = await attacker();
    const tenantSlug = tenant.slug;
    const { ids } = target;
    expect((await caller.members.list({ tenantSlug })).map((member) => member.personId)).toEqual([person.id]);
    expect(await caller.members.invitations({ tenantSlug })).toEqual([]);
    const notAMember = { code: "NOT_FOUND", message: "No such member in this tenant." };
    await expect(
      caller.members.changeRole({ tenantSlug, membershipId: ids.memberMembershipId, role: "viewer" }),
    ).rejects.toMatchObject(notAMember);
    await expect(
      caller.members.changeRole({ tenantSlug, membershipId: ids.ownerMembershipId, role: "viewer" }),
    ).rejects.toMatchObject(notAMember);
    await expect(caller.members.remove({ tenantSlug, membershipId: ids.memberMembershipId })).rejects.toMatchObject(
      notAMember,
    );
    await expect(caller.members.revokeInvitation({ tenantSlug, invitationId: ids.invitationId })).rejects.toMatchObject(
      { code: "NOT_FOUND", message: "No open invitation with this id in this tenant." },
    );
    expect(await listOpenInvitations(db, { tenantId: target.tenant.id })).toMatchObject([{ id: ids.invitationId }]);
    expect((await caller.audit.list({ tenantSlug, actorId: target.owner.id })).entries).toEqual([]);
    const options = await caller.audit.filterOptions({ tenantSlug });
    expect(options.actors.map((actor) => actor.id)).toEqual([person.id]);
    const ownActions = (await listAudit(db, { tenantId: tenant.id, limit: 200 })).entries.map((entry) => entry.action);
    expect(options.actions).toEqual([...new Set(ownActions)].sort());
    expect(options.actions).not.toContain("member.invite");
  });

  it("shows none of another tenant's connections, mappings or settings", async () => {
    const target = await victim();
    const { caller, tenant } = await attacker();
    const tenantSlug = tenant.slug;
    expect(await caller.splynx.connection({ tenantSlug })).toMatchObject({
      baseUrl: SANDBOX_SPLYNX_URL,
      lastTest: null,
    });
    expect((await caller.mapping.screen({ tenantSlug, kind: "tax" })).rows).toEqual([]);
    expect((await caller.mapping.screen({ tenantSlug, kind: "tax" })).loadedAt).toBeNull();
    await expect(
      caller.mapping.save({
        tenantSlug,
        kind: "tax",
        entries: [{ splynxId: target.ids.referenceSplynxId, zohoValue: null }],
      }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: `Splynx entry ${target.ids.referenceSplynxId} is not in the loaded mapping data; load it again.`,
    });
    expect((await caller.settings.get({ tenantSlug })).settings.customers.namePattern).toBe("{name}");
    expect(await caller.tenants.current({ tenantSlug })).toMatchObject({ name: "Attacker ISP", memberCount: 1 });
  });
});

describe("every tenant procedure on one's own tenant", () => {
  it("answers without a server fault, even with nothing connected and odd input", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    for (const path of tenantProcedurePaths().filter((candidate) => candidate !== "tenants.delete")) {
      const outcome = await call(callerFor(db, owner), path, {
        tenantSlug: tenant.slug,
        name: "x",
        kind: "tax",
        entries: [],
        confirmation: "no",
        forgetOrganization: false,
        region: "US",
        organizationId: "1",
      }).then(
        () => "ok",
        (error: { code?: string }) => error.code,
      );
      expect(outcome, path).not.toBe("INTERNAL_SERVER_ERROR");
    }
  });
});

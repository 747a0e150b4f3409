// Every tenant procedure, called by a member of tenant A with tenant B's slug or ids, is refused and leaks nothing.
import { describe, expect, it } from "vitest";
import { listMembers, findMembership } from "@/db/queries/tenants";
import { listOpenInvitations } from "@/db/queries/invitations";
import { callerFor, makePerson, makeTenant } from "@/db/testing/fixtures";
import { useTestDatabase } from "@/db/testing/test-database";
import { tenantProcedures } from "./tenant-procedures";

const database = useTestDatabase();

const tenantProcedurePaths = () => tenantProcedures().map((procedure) => procedure.path);

function call(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<unknown> {
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

describe("tenant isolation", () => {
  it("finds the tenant procedures", () => {
    expect(tenantProcedurePaths()).toEqual(expect.arrayContaining(["tenants.current", "tenants.delete", "members.changeRole", "audit.list"]));
  });

  it("refuses every tenant procedure for another tenant's slug, with nothing of it in the error", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    await makeTenant(db, alice, "alpha");
    const bob = await makePerson(db, "bob");
    const beta = await makeTenant(db, bob, "beta");
    await callerFor(db, bob).members.invite({ tenantSlug: beta.slug, email: "secret-guest@example.test", role: "admin" });

    for (const path of tenantProcedurePaths()) {
      const attempt = call(callerFor(db, alice), path, { tenantSlug: beta.slug, confirmation: beta.slug, name: "pwned", email: "x@example.test", role: "owner" });
      const error = await attempt.then(() => undefined, (caught: unknown) => caught as { code: string; message: string });
      expect(error, path).toMatchObject({ code: "NOT_FOUND", message: "Tenant not found." });
      expect(JSON.stringify(error), path).not.toMatch(/beta ISP|secret-guest|bob-/);
    }
    expect(await findMembership(db, { slug: beta.slug, personId: bob.id })).toMatchObject({ name: "beta ISP", role: "owner" });
  });

  it("refuses another tenant's member and invitation ids under one's own slug", async () => {
    const { db } = database;
    const alice = await makePerson(db, "alice");
    const alpha = await makeTenant(db, alice, "alpha");
    const bob = await makePerson(db, "bob");
    const beta = await makeTenant(db, bob, "beta");
    await callerFor(db, bob).members.invite({ tenantSlug: beta.slug, email: "guest@example.test", role: "viewer" });
    const [bobMembership] = await listMembers(db, { tenantId: beta.id });
    const [betaInvitation] = await listOpenInvitations(db, { tenantId: beta.id });
    const asAlice = callerFor(db, alice);

    await expect(asAlice.members.changeRole({ tenantSlug: alpha.slug, membershipId: bobMembership!.membershipId, role: "viewer" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asAlice.members.remove({ tenantSlug: alpha.slug, membershipId: bobMembership!.membershipId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asAlice.members.revokeInvitation({ tenantSlug: alpha.slug, invitationId: betaInvitation!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listMembers(db, { tenantId: beta.id })).toMatchObject([{ role: "owner" }]);
    expect(await listOpenInvitations(db, { tenantId: beta.id })).toHaveLength(1);
  });

  it("refuses every tenant procedure to someone signed out", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    for (const path of tenantProcedurePaths()) {
      await expect(call(callerFor(db, null), path, { tenantSlug: tenant.slug }), path).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });
});

describe("every tenant procedure on one's own tenant", () => {
  it("answers without a server fault, even with nothing connected and odd input", async () => {
    const { db } = database;
    const owner = await makePerson(db, "owner");
    const tenant = await makeTenant(db, owner);
    for (const path of tenantProcedurePaths().filter((candidate) => candidate !== "tenants.delete")) {
      const outcome = await call(callerFor(db, owner), path, { tenantSlug: tenant.slug, name: "x", kind: "tax", entries: [], confirmation: "no", forgetOrganization: false, region: "US", organizationId: "1" }).then(
        () => "ok",
        (error: { code?: string }) => error.code,
      );
      expect(outcome, path).not.toBe("INTERNAL_SERVER_ERROR");
    }
  });
});

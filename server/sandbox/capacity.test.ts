// A full sandbox keeps every tenant's sandbox in use, changes and all, and refuses a newcomer with a message to show.
import { describe, expect, it, vi } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { DomainError } from "@/server/errors";
import { SANDBOX_AT_CAPACITY, sandboxLimits, sandboxSplynx, sandboxSplynxFetch, sandboxZohoFetch } from "./index";
import { routeSession as session } from "./testing/route-session";

// The routes read the session through currentPerson and the database through getDb; the test decides both.
vi.mock("@/server/auth/current-person", () => import("./testing/route-session"));
vi.mock("@/db/client", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getDb: (await import("./testing/route-session")).getDb,
}));
const zohoRoute = await import("@/app/sandbox/[slug]/zoho/[...path]/route");

const database = registerTestDatabase();

describe("the sandbox at capacity", () => {
  it("refuses a new tenant's sandbox with a message, and forgets none of the tenants using theirs", async () => {
    const tenants = Array.from({ length: sandboxLimits().maxTenants }, (_, index) => `tenant-${index}`);
    for (const tenantId of tenants) sandboxSplynx(tenantId);
    sandboxSplynx(tenants[0]!).store.customers.remove(1);
    for (const open of [sandboxSplynxFetch, sandboxZohoFetch])
      expect(() => open("newcomer")).toThrow(
        expect.objectContaining({ constructor: DomainError, message: SANDBOX_AT_CAPACITY, field: "baseUrl" }),
      );

    // The newcomer's consent page over HTTP: the same message, not a server fault.
    const person = await makePerson(database.db, "admin");
    Object.assign(session, { person, db: database.db });
    const tenant = await makeTenant(database.db, person);
    const consent = await zohoRoute.GET(
      new Request(`http://localhost:3000/sandbox/${tenant.slug}/zoho/oauth/v2/auth`),
      {
        params: Promise.resolve({ slug: tenant.slug }),
      },
    );
    expect([consent.status, await consent.json()]).toEqual([503, { message: SANDBOX_AT_CAPACITY }]);
    expect(sandboxSplynx(tenants[0]!).store.customers.get(1)).toBeUndefined();
  });
});

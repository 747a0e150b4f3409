// The per-tenant registry stays bounded: the least recently used tenant and any idle one are forgotten, then rebuilt.
import { describe, expect, it } from "vitest";
import { createTenantRegistry, RegistryFull } from "./registry";

function registry(limits = { maxTenants: 2, idleMs: 1_000, keepMs: 100 }) {
  let time = 0;
  let built = 0;
  const tenants = createTenantRegistry(
    (tenantId) => ({ tenantId, build: ++built }),
    limits,
    () => time,
  );
  const advance = (ms: number) => {
    time += ms;
  };
  return { tenants, advance };
}

describe("the tenant registry", () => {
  it("keeps one value per tenant, built once while it is in use", () => {
    const { tenants } = registry();
    const first = tenants.get("a");
    expect(tenants.get("a")).toBe(first);
    expect(tenants.get("b")).not.toBe(first);
    expect(tenants.get("b")).toMatchObject({ tenantId: "b", build: 2 });
  });

  it("forgets the least recently used tenant beyond the cap, and builds it afresh when it comes back", () => {
    const { tenants, advance } = registry();
    tenants.get("a");
    tenants.get("b");
    advance(150);
    tenants.get("a");
    tenants.get("c");
    expect(["a", "b", "c"].map(tenants.has)).toEqual([true, false, true]);
    expect(tenants.size()).toBe(2);
    advance(150);
    expect(tenants.get("b")).toMatchObject({ tenantId: "b", build: 4 });
    expect(tenants.has("a")).toBe(false);
  });

  it("forgets a tenant idle longer than the limit, however few tenants there are", () => {
    const { tenants, advance } = registry();
    tenants.get("a");
    tenants.get("b");
    advance(600);
    tenants.get("b");
    advance(600);
    expect(tenants.get("b")).toMatchObject({ build: 2 });
    expect(tenants.has("a")).toBe(false);
    expect(tenants.get("a")).toMatchObject({ build: 3 });
  });

  it("never forgets a tenant used recently to make room: the newcomer is refused until one has been unused a while", () => {
    const { tenants, advance } = registry();
    const a = tenants.get("a");
    advance(40);
    tenants.get("b");
    advance(40);
    expect(() => tenants.get("c")).toThrow(RegistryFull);
    expect(tenants.get("a")).toBe(a);
    expect(tenants.size()).toBe(2);
    advance(101);
    expect(tenants.get("c")).toMatchObject({ tenantId: "c", build: 3 });
    expect(["a", "b", "c"].map(tenants.has)).toEqual([true, false, true]);
  });
});

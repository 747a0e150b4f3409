// Keeps one value per tenant in memory, created on first use; the least recently used, and any idle too long, are
// forgotten, so the count (and the memory) stays bounded however many tenants try the sandbox. A tenant in use is
// never forgotten to make room for another: the newcomer is refused instead.
export type RegistryLimits = {
  /** At most this many tenants are kept; the one used least recently makes room for a new one. */
  maxTenants: number;
  /** A tenant not seen for this long is forgotten at the next use of the registry. */
  idleMs: number;
  /** A tenant seen within this long is in use (a running sync uses it on every request): it never makes room. */
  keepMs: number;
};

/** Every kept tenant is in use: a new one has to wait until one is not. */
export class RegistryFull extends Error {}

export function createTenantRegistry<T>(create: (tenantId: string) => T, limits: RegistryLimits, now = Date.now) {
  // A Map iterates in insertion order: re-inserting on every use keeps the least recently used first.
  const entries = new Map<string, { value: T; lastUsed: number }>();

  function forgetIdle(time: number) {
    for (const [tenantId, entry] of entries) if (time - entry.lastUsed > limits.idleMs) entries.delete(tenantId);
  }

  function makeRoom(time: number) {
    if (entries.size < limits.maxTenants) return;
    const [oldest] = entries;
    if (!oldest || time - oldest[1].lastUsed <= limits.keepMs)
      throw new RegistryFull(`All ${limits.maxTenants} tenants kept are in use.`);
    entries.delete(oldest[0]);
  }

  function get(tenantId: string): T {
    const time = now();
    forgetIdle(time);
    const known = entries.get(tenantId);
    if (!known) makeRoom(time);
    const value = known ? known.value : create(tenantId);
    entries.delete(tenantId);
    entries.set(tenantId, { value, lastUsed: time });
    return value;
  }

  return { get, has: (tenantId: string) => entries.has(tenantId), size: () => entries.size };
}

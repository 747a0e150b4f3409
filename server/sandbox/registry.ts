// Keeps one value per tenant in memory, created on first use; the least recently used, and any idle too long, are
// forgotten, so the count (and the memory) stays bounded however many tenants try the sandbox.
export type RegistryLimits = {
  /** At most this many tenants are kept; the one used least recently makes room for a new one. */
  maxTenants: number;
  /** A tenant not seen for this long is forgotten at the next use of the registry. */
  idleMs: number;
};

export function createTenantRegistry<T>(create: (tenantId: string) => T, limits: RegistryLimits, now = Date.now) {
  // A Map iterates in insertion order: re-inserting on every use keeps the least recently used first.
  const entries = new Map<string, { value: T; lastUsed: number }>();

  function forgetIdle(time: number) {
    for (const [tenantId, entry] of entries) if (time - entry.lastUsed > limits.idleMs) entries.delete(tenantId);
  }

  function get(tenantId: string): T {
    const time = now();
    forgetIdle(time);
    const entry = entries.get(tenantId) ?? { value: create(tenantId), lastUsed: time };
    entries.delete(tenantId);
    entries.set(tenantId, { value: entry.value, lastUsed: time });
    for (const oldest of entries.keys()) {
      if (entries.size <= limits.maxTenants) break;
      entries.delete(oldest);
    }
    return entry.value;
  }

  return { get, has: (tenantId: string) => entries.has(tenantId), size: () => entries.size };
}

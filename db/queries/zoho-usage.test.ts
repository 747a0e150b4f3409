// The daily usage the limiter writes as it grants calls, read back per UTC day for the usage chart.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { ZohoLimiter } from "@/server/zoho/limiter";
import { callsPerDay } from "./zoho-usage";

const database = registerTestDatabase();
const POLICY = { perWindow: 1_000, windowMs: 1_000, concurrency: 5, leaseMs: 5_000, marginMs: 0 };

/** `count` calls through the limiter at the instant `at`. */
async function callsAt(organizationId: string, at: string, count: number) {
  const time = Date.parse(at);
  const limiter = new ZohoLimiter(database.db, POLICY, { now: () => time, sleep: async () => {} });
  for (let index = 0; index < count; index++) await limiter.run(organizationId, async () => undefined);
}

describe("callsPerDay", () => {
  it("counts each granted call on its UTC day, from the day of `since` on, oldest first", async () => {
    const organizationId = `org-${randomUUID()}`;
    await callsAt(organizationId, "2026-11-01T10:00:00Z", 1);
    await callsAt(organizationId, "2026-11-02T00:00:00Z", 2);
    await callsAt(organizationId, "2026-11-02T23:59:59.999Z", 3);
    await callsAt(organizationId, "2026-11-04T05:00:00Z", 4);

    expect(await callsPerDay(database.db, { organizationId, since: new Date("2026-11-02T18:00:00Z") })).toEqual([
      { day: "2026-11-02", calls: 5 },
      { day: "2026-11-04", calls: 4 },
    ]);
    expect(await callsPerDay(database.db, { organizationId, since: new Date("2026-10-01T00:00:00Z") })).toEqual([
      { day: "2026-11-01", calls: 1 },
      { day: "2026-11-02", calls: 5 },
      { day: "2026-11-04", calls: 4 },
    ]);
  });

  it("reads only the organization asked for", async () => {
    const mine = `org-${randomUUID()}`;
    const theirs = `org-${randomUUID()}`;
    await callsAt(mine, "2026-11-03T12:00:00Z", 2);
    await callsAt(theirs, "2026-11-03T12:00:00Z", 7);
    const since = new Date("2026-11-01T00:00:00Z");
    expect(await callsPerDay(database.db, { organizationId: mine, since })).toEqual([{ day: "2026-11-03", calls: 2 }]);
    expect(await callsPerDay(database.db, { organizationId: `org-${randomUUID()}`, since })).toEqual([]);
  });

  it("counts no call the limiter refused for the quota", async () => {
    const organizationId = `org-${randomUUID()}`;
    const time = Date.parse("2026-11-05T08:00:00Z");
    const limiter = new ZohoLimiter(database.db, POLICY, { now: () => time, sleep: async () => {} });
    await limiter.run(organizationId, async () => undefined);
    await limiter.quotaSpent(organizationId, 3_600);
    await expect(limiter.run(organizationId, async () => undefined)).rejects.toThrow("daily API quota");
    expect(await callsPerDay(database.db, { organizationId, since: new Date(time) })).toEqual([
      { day: "2026-11-05", calls: 1 },
    ]);
  });
});

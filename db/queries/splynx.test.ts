import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/db/testing/test-database";
import { databaseNonceSource } from "./splynx";

const database = useTestDatabase();

describe("databaseNonceSource", () => {
  it("hands concurrent callers unique nonces that only grow, per key", async () => {
    const first = databaseNonceSource(database.db);
    const second = databaseNonceSource(database.db);
    const nonces = await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second).next("key-a")));
    expect(new Set(nonces).size).toBe(200);
    const later = await first.next("key-a");
    expect(nonces.every((nonce) => nonce < later)).toBe(true);
    const otherKey = await first.next("key-b");
    expect(otherKey).toBeGreaterThan(0n);
  });
});

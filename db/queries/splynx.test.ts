// Splynx signature nonces shared through the database: unique, growing, per key, and never behind the clock.
import { describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { clockNonce } from "@/server/splynx/nonces";
import { databaseNonceSource } from "./splynx";

const database = registerTestDatabase();

describe("databaseNonceSource", () => {
  it("hands concurrent callers unique nonces that only grow, per key", async () => {
    const first = databaseNonceSource(database.db);
    const second = databaseNonceSource(database.db);
    const nonces = await Promise.all(
      Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second).next("key-a")),
    );
    expect(new Set(nonces).size).toBe(200);
    const later = await first.next("key-a");
    expect(nonces.every((nonce) => nonce < later)).toBe(true);
    // Another key starts from the clock, not after key-a's nonces.
    const clockBefore = clockNonce();
    const otherKey = await first.next("key-b");
    expect(otherKey).toBeGreaterThanOrEqual(clockBefore);
    expect(otherKey).toBeLessThanOrEqual(clockNonce());
    expect(await second.next("key-b")).toBe(otherKey + 1n);
  });

  it("never hands out again a nonce whose exchange failed: Splynx saw it all the same", async () => {
    const source = databaseNonceSource(database.db);
    const sent: bigint[] = [];
    await source.inOrder("key-c", async (nonce) => void sent.push(nonce));
    // Splynx answered (a 404 for a record gone): the exchange throws after its nonce went out.
    const refused = source.inOrder("key-c", async (nonce) => {
      sent.push(nonce);
      throw new Error("Splynx answered 404");
    });
    await expect(refused).rejects.toThrow("Splynx answered 404");
    await source.inOrder("key-c", async (nonce) => void sent.push(nonce));
    expect(new Set(sent).size).toBe(3);
    expect(sent[2]).toBeGreaterThan(sent[1]!);
  });
});

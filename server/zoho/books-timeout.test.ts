// The Books client's timeout ends a call's wait by itself: a page writing several records at once must never keep a
// lane on a call whose fetch does not honour its abort signal (as a Request derived from it may not, once collected).
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { ZohoBooksClient } from "./books";
import { ZohoLimiter, ZOHO_LIMITS } from "./limiter";

describe("a call Zoho never answers", () => {
  it("fails as a timeout after the client's timeout, even when the fetch ignores its abort signal", async () => {
    const asked: RequestInit[] = [];
    // Listing organizations needs no organization, so no limiter slot and no database.
    const books = new ZohoBooksClient({
      apiDomain: "http://zoho.test",
      organizationId: "",
      accessToken: async () => "token",
      limiter: new ZohoLimiter(null as unknown as Db, ZOHO_LIMITS),
      fetch: (_url, init) => {
        asked.push(init!);
        return new Promise<Response>(() => undefined);
      },
      timeoutMs: 200,
      maxAttempts: 1,
    });
    const started = performance.now();

    await expect(books.organizations()).rejects.toMatchObject({
      kind: "timeout",
      message: "Zoho did not answer GET /organizations in time",
    });

    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.signal!.aborted).toBe(true);
  });
});

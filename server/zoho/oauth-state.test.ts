// The signed state of "Connect with Zoho Books": any change to its id or signature, or a missing part, is refused before
// the attempt is looked up, so it stays usable by the genuine answer.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sandboxZoho } from "@/server/sandbox";

// Imported afresh, so the signing functions the module builds as it loads are the code under test on every run.
let completeZohoConnect: typeof import("./connection").completeZohoConnect;
let startZohoConnect: typeof import("./connection").startZohoConnect;
let SANDBOX_REGION: typeof import("./connection").SANDBOX_REGION;
beforeAll(async () => {
  vi.resetModules();
  // A module that fails to load fails every test below rather than this hook (a failed hook runs no test at all).
  ({ completeZohoConnect, startZohoConnect, SANDBOX_REGION } = await import("./connection").catch(() => ({}) as never));
});

const database = registerTestDatabase();
const ORIGIN = "http://localhost:3000";
const INVALID = "The answer from Zoho did not carry a valid state; start again from the connection page.";

async function genuineAnswer() {
  const { db } = database;
  const person = await makePerson(db, "admin");
  const tenant = await makeTenant(db, person);
  const url = await startZohoConnect(db, {
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    personId: person.id,
    region: SANDBOX_REGION,
    origin: ORIGIN,
  });
  const consent = await sandboxZoho(tenant.id).handle(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ decision: "accept", user: "books-admin@sandbox.example" }),
    }),
  );
  const query = new URL(consent.headers.get("location")!).searchParams;
  return { db, tenant, actor: { id: person.id, email: person.email }, query, state: query.get("state")! };
}

const withState = (query: URLSearchParams, state: string | null) => {
  const changed = new URLSearchParams(query);
  if (state === null) changed.delete("state");
  else changed.set("state", state);
  return changed;
};

describe("the OAuth state's signature", () => {
  it("refuses a signature of the right length with one character changed, another attempt's id, and missing parts", async () => {
    const first = await genuineAnswer();
    const second = await genuineAnswer();
    // The attempt's id, a dot, and an HMAC-SHA256 in base64url.
    expect(first.state).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[\w-]{43}$/);
    const [id, signature] = first.state.split(".") as [string, string];
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    for (const state of [
      `${id}.${flipped}`,
      `${second.state.split(".")[0]}.${signature}`,
      id,
      `${id}.`,
      `.${signature}`,
      "",
      null,
    ]) {
      await expect(
        completeZohoConnect(first.db, { actor: first.actor, query: withState(first.query, state), origin: ORIGIN }),
        String(state),
      ).rejects.toThrow(INVALID);
    }
    // None of that used the attempt up: the genuine answer still connects.
    expect(await completeZohoConnect(first.db, { actor: first.actor, query: first.query, origin: ORIGIN })).toEqual({
      tenantId: first.tenant.id,
      warning: undefined,
    });
  });
});

// The demo's password is shown on the embedded default only, never by a server on a real database.
import { afterEach, describe, expect, it } from "vitest";
import { registerTestDatabase } from "@/db/testing/test-database";
import { env, type Env } from "@/server/env";
import { demoCredentials, seedDemo } from "./seed";

const database = registerTestDatabase();
const settings = env();
const original: Pick<Env, "embedded" | "demoSeed"> = { embedded: settings.embedded, demoSeed: settings.demoSeed };
afterEach(() => {
  Object.assign(settings, original);
});

describe("demo credentials", () => {
  it("are seeded where asked, and shown only on the embedded default", async () => {
    Object.assign(settings, { embedded: false, demoSeed: true });
    const seeded = await seedDemo(database.db);
    expect(seeded).toMatchObject({ email: "demo@ledgerlink.local", password: expect.stringMatching(/^[\w-]{12}$/) });
    expect(demoCredentials()).toBeNull();
    expect(await seedDemo(database.db)).toEqual(seeded);

    Object.assign(settings, { embedded: true });
    expect(demoCredentials()).toEqual(seeded);
  });
});

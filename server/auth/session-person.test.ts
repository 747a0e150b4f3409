// A session stands for its person only while the account exists and no password reset came after its sign-in.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setPasswordHash } from "@/db/queries/password-resets";
import { people } from "@/db/schema";
import { makePerson } from "@/db/testing/fixtures";
import { registerTestDatabase } from "@/db/testing/test-database";
import { sessionPerson } from "./session-person";

const database = registerTestDatabase();

describe("sessionPerson", () => {
  it("ends sessions signed in before a password reset, keeps later ones, and none for a deleted account", async () => {
    const { db } = database;
    const person = await makePerson(db, "resetting");
    const before = { user: { id: person.id }, signedInAt: Date.now() - 60_000 };
    expect(await sessionPerson(db, before)).toMatchObject({ id: person.id, email: person.email });

    await db.transaction((tx) => setPasswordHash(tx, { personId: person.id, passwordHash: "new-hash" }));
    expect(await sessionPerson(db, before)).toBeNull();
    // A token from before this change carries no sign-in time: it counts as older than the reset.
    expect(await sessionPerson(db, { user: { id: person.id } })).toBeNull();
    const after = { user: { id: person.id }, signedInAt: Date.now() + 1_000 };
    expect(await sessionPerson(db, after)).toMatchObject({ id: person.id });

    await db.delete(people).where(eq(people.id, person.id));
    expect(await sessionPerson(db, after)).toBeNull();
    expect(await sessionPerson(db, null)).toBeNull();
  });
});

// Who is signed in and which database the sandbox routes use, as a test decides: mocked in for currentPerson and getDb.
import type { Db } from "@/db/client";

export const routeSession = { person: null as { id: string } | null, db: undefined as Db | undefined };
export const currentPerson = async () => routeSession.person;
export const getDb = async () => routeSession.db!;

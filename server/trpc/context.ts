// Builds the tRPC context for one HTTP request: the database, the signed-in person, the client address.
import { getDb } from "@/db/client";
import { auth } from "@/server/auth";
import { clientAddress } from "@/server/auth/client-address";
import { sessionPerson } from "@/server/auth/session-person";
import type { Context } from "./init";

export async function createContext(request: Request): Promise<Context> {
  const db = await getDb();
  const person = await sessionPerson(db, await auth());
  return { db, person, ip: clientAddress(request.headers), origin: new URL(request.url).origin };
}

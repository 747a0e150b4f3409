// Builds the tRPC context for one HTTP request: the database, the signed-in person, the client address.
import { getDb } from "@/db/client";
import { getPerson } from "@/db/queries/people";
import { auth } from "@/server/auth";
import { clientAddress } from "@/server/auth/client-address";
import type { Context } from "./init";

export async function createContext(request: Request): Promise<Context> {
  const db = await getDb();
  const session = await auth();
  const personId = session?.user?.id;
  // Read the person afresh so a deleted account stops working at once, whatever its token says.
  const person = personId ? ((await getPerson(db, personId)) ?? null) : null;
  return { db, person, ip: clientAddress(request.headers), origin: new URL(request.url).origin };
}

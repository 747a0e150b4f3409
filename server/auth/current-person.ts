// The signed-in person for server components, read from the database so a deleted account counts as signed out.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { auth } from "./index";
import { sessionPerson } from "./session-person";

export async function currentPerson() {
  return sessionPerson(await getDb(), await auth());
}

/** The signed-in person, or a redirect to sign-in that comes back to `returnTo`. */
export async function requirePerson(returnTo: string) {
  const person = await currentPerson();
  if (!person) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return person;
}

// The signed-in person for server components, read from the database so a deleted account counts as signed out.
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getPerson } from "@/db/queries/people";
import { auth } from "./index";

export async function currentPerson() {
  const personId = (await auth())?.user?.id;
  return personId ? ((await getPerson(await getDb(), personId)) ?? null) : null;
}

/** The signed-in person, or a redirect to sign-in that comes back to `returnTo`. */
export async function requirePerson(returnTo: string) {
  const person = await currentPerson();
  if (!person) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return person;
}

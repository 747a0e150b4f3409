import { redirect } from "next/navigation";
import { requirePerson } from "@/server/auth/current-person";
import { serverCaller } from "@/server/trpc/server-caller";

// The front door: a person's first tenant, or tenant creation when they have none.
export default async function Home() {
  await requirePerson("/");
  const [first] = await (await serverCaller()).tenants.list();
  redirect(first ? `/t/${first.slug}` : "/tenants/new");
}

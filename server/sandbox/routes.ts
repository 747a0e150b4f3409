// The sandbox's HTTP doors (/sandbox/{tenant slug}/zoho/…, /sandbox/{tenant slug}/splynx/…): only where the sandbox
// is on, only for people signed in, and only into a sandbox of a tenant they belong to.
import { getDb } from "@/db/client";
import { findMembership } from "@/db/queries/tenants";
import type { Role } from "@/db/schema";
import { currentPerson } from "@/server/auth/current-person";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { hasRole } from "@/server/trpc/roles";
import type { Handler } from "./http-adapter";

/** Signed-out pages go to sign-in and come back; API calls get a plain 401. */
function signInFirst(request: Request): Response {
  const url = new URL(request.url);
  if (request.method === "GET" && request.headers.get("accept")?.includes("text/html")) {
    const login = new URL(`/login?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`, url);
    return Response.redirect(login.href, 303);
  }
  return Response.json({ message: "Sign in to Ledgerlink to use its sandbox." }, { status: 401 });
}

// Viewers may open the record pages the records screen links to; consent, tokens and the APIs are for admins.
// Anchored: a Splynx path that merely contains /zoho/app/ is no record page.
const RECORD_PAGE = /^\/sandbox\/[^/]+\/zoho\/app\//;
const roleNeeded = (request: Request): Role =>
  request.method === "GET" && RECORD_PAGE.test(new URL(request.url).pathname) ? "viewer" : "admin";

/** A route handler for a simulator: each tenant's sandbox answers that tenant's members, and no one else. */
export function sandboxRoute(simulatorFor: (tenantId: string) => { handle: Handler }) {
  return async (request: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> => {
    if (!env().sandbox) return new Response("Not found", { status: 404 });
    const person = await currentPerson();
    if (!person) return signInFirst(request);
    const membership = await findMembership(await getDb(), { slug: (await params).slug, personId: person.id });
    // Another tenant's sandbox and no tenant at all answer alike, so slugs can't be probed.
    if (!membership) return Response.json({ message: "No sandbox of yours at this address." }, { status: 404 });
    const role = roleNeeded(request);
    if (!hasRole(membership.role, role))
      return Response.json(
        { message: `The sandbox needs the ${role} role; you are ${membership.role}.` },
        { status: 403 },
      );
    try {
      return await simulatorFor(membership.id).handle(request);
    } catch (error) {
      // The sandbox at capacity: its message, not a server fault.
      if (error instanceof DomainError) return Response.json({ message: error.message }, { status: 503 });
      throw error;
    }
  };
}

// The sandbox's HTTP doors (/sandbox/zoho/…, /sandbox/splynx/…): only where the sandbox is on, only for people
// signed in.
import { currentPerson } from "@/server/auth/current-person";
import { env } from "@/server/env";
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

/** A route handler for a simulator: its data is Ledgerlink's demo data, never served to the signed-out internet. */
export function sandboxRoute(simulator: () => { handle: Handler }): Handler {
  return async (request) => {
    if (!env().sandbox) return new Response("Not found", { status: 404 });
    if (!(await currentPerson())) return signInFirst(request);
    return simulator().handle(request);
  };
}

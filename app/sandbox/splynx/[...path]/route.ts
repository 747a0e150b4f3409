// The sandbox Splynx over HTTP at /sandbox/splynx/api/2.0/…, for tools and people; the app itself calls it in-process.
import { env } from "@/server/env";
import { sandboxSplynx } from "@/server/sandbox";

async function handler(request: Request): Promise<Response> {
  if (!env().sandbox) return new Response("Not found", { status: 404 });
  return sandboxSplynx().handle(request);
}

export { handler as DELETE, handler as GET, handler as HEAD, handler as OPTIONS, handler as POST, handler as PUT };

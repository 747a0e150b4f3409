// The sandbox Zoho's consent page for browsers at /sandbox/zoho/oauth/v2/auth; the app calls the rest in-process.
import { env } from "@/server/env";
import { sandboxZoho } from "@/server/sandbox";

async function handler(request: Request): Promise<Response> {
  if (!env().sandbox) return new Response("Not found", { status: 404 });
  return sandboxZoho().handle(request);
}

export { handler as GET, handler as POST };

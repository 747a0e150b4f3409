// The sandbox Zoho for browsers: its consent page (/sandbox/zoho/oauth/v2/auth) and record pages (/sandbox/zoho/app/…).
import { env } from "@/server/env";
import { sandboxZoho } from "@/server/sandbox";

async function handler(request: Request): Promise<Response> {
  if (!env().sandbox) return new Response("Not found", { status: 404 });
  return sandboxZoho().handle(request);
}

export { handler as GET, handler as POST };

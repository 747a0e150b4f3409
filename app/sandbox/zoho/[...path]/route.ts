// The sandbox Zoho for browsers: its consent page (/sandbox/zoho/oauth/v2/auth) and record pages (/sandbox/zoho/app/…).
import { sandboxZoho } from "@/server/sandbox";
import { sandboxRoute } from "@/server/sandbox/routes";

const handler = sandboxRoute(sandboxZoho);

export { handler as GET, handler as POST };

// A tenant's sandbox Zoho for browsers: its consent page (/sandbox/{slug}/zoho/oauth/v2/auth), its API and its record
// pages (/sandbox/{slug}/zoho/app/…), for that tenant's members.
import { sandboxZoho } from "@/server/sandbox";
import { sandboxRoute } from "@/server/sandbox/routes";

const handler = sandboxRoute(sandboxZoho);

export { handler as GET, handler as POST };

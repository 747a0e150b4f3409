// A tenant's sandbox Splynx over HTTP at /sandbox/{slug}/splynx/api/2.0/…, for its admins; the app calls it in-process.
import { sandboxSplynx } from "@/server/sandbox";
import { sandboxRoute } from "@/server/sandbox/routes";

const handler = sandboxRoute(sandboxSplynx);

export { handler as DELETE, handler as GET, handler as HEAD, handler as OPTIONS, handler as POST, handler as PUT };

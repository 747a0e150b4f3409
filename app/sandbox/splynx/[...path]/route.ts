// The sandbox Splynx over HTTP at /sandbox/splynx/api/2.0/…, for people signed in; the app itself calls it in-process.
import { sandboxSplynx } from "@/server/sandbox";
import { sandboxRoute } from "@/server/sandbox/routes";

const handler = sandboxRoute(sandboxSplynx);

export { handler as DELETE, handler as GET, handler as HEAD, handler as OPTIONS, handler as POST, handler as PUT };

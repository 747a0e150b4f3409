// A tRPC caller for server components: the same procedures and checks as the HTTP API, without the round trip.
import { headers } from "next/headers";
import { createContext } from "./context";
import { createCaller } from "./root";

export async function serverCaller() {
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost"}`;
  return createCaller(await createContext(new Request(origin, { headers: requestHeaders })));
}

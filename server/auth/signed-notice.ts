// Messages that ride a redirect's query string: shown only when this server signed them, never a visitor's own text.
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/server/env";

const signature = (name: string, text: string) => {
  const key = createHmac("sha256", env().authSecret).update("query-string-notice").digest();
  return createHmac("sha256", key).update(`${name}\n${text}`).digest("base64url");
};

/** Query parameters for the notices given, each with its signature beside it as `<name>Sig`. */
export function signedNotices(notices: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(notices).flatMap(([name, text]) =>
      text === undefined ? [] : [[name, text] as const, [`${name}Sig`, signature(name, text)] as const],
    ),
  );
}

/** The notice `name` from a query string, when its signature is this server's; otherwise nothing. */
export function verifiedNotice(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const [text, given] = [query[name], query[`${name}Sig`]];
  if (typeof text !== "string" || typeof given !== "string") return undefined;
  const [expected, actual] = [Buffer.from(signature(name, text)), Buffer.from(given)];
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? text : undefined;
}

// Where to send a person after sign-in: a path on this site only, judged as a browser would read it.
const PLACEHOLDER_ORIGIN = "https://ledgerlink.invalid";
const MAX_LENGTH = 2048;

/**
 * A same-origin path from a path (or, given this site's origin, an absolute URL on it), else "/". The URL parser
 * decides, as the browser will: it drops tabs and newlines and reads "\" as "/", so "/\t/evil.example" is "//evil…".
 */
export function safeCallbackPath(value: unknown, origin?: string): string {
  if (typeof value !== "string" || value.length > MAX_LENGTH) return "/";
  const base = origin ?? PLACEHOLDER_ORIGIN;
  if (!value.startsWith("/") && !(origin && value.startsWith(`${origin}/`))) return "/";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(base).origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that still starts with two slashes would name another host when written into a Location header.
  return path.startsWith("//") ? "/" : path;
}

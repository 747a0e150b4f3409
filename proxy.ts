// Every response gets a Content-Security-Policy whose scripts need this request's nonce: an injected inline script or
// a script from anywhere else does not run. Next.js reads the nonce from the request's policy and puts it on its own
// scripts, which only works for pages rendered per request (the root layout waits for the request to make it so).
import { type NextRequest, NextResponse } from "next/server";

const development = process.env.NODE_ENV === "development";

/** The policy for one response; React sets style attributes, hence 'unsafe-inline' for styles (never for scripts). */
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next.js's own (nonced) scripts load are trusted through them. React's development
    // build evaluates strings to rebuild server stacks; the production build never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Built assets carry no markup to protect; prefetches are payloads, not documents.
      source: "/((?!_next/static|_next/image|icon.svg|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};

// Zoho failures, classified from the HTTP status and Zoho's `{code, message}` body; the message is kept verbatim.
import { ExternalServiceError } from "@/server/errors";

export type ZohoErrorKind =
  | "rate_limited" // 429 code 44: too many calls this minute
  | "daily_quota" // 429 code 45: the plan's daily calls are spent
  | "concurrency" // 429 code 1070: too many calls in flight
  | "unauthorized" // 401 (14, 57): token invalid, expired, missing scope, or wrong data centre
  | "organization_gone" // 6041 (9017 on Zoho Invoice): the organization was removed or the user lost access to it
  | "not_found" // 404 or "does not exist"
  | "rejected" // any other non-zero code: Zoho refused the record
  | "server" // 5xx
  | "network"
  | "timeout"
  | "bad_response";

export class ZohoError extends ExternalServiceError {
  constructor(
    readonly kind: ZohoErrorKind,
    message: string,
    readonly details: { status?: number; code?: number; method?: string; path?: string } = {},
  ) {
    super(message);
    this.name = "ZohoError";
  }

  /** Worth waiting and trying again within the run. */
  get retryable(): boolean {
    return (
      this.kind === "rate_limited" ||
      this.kind === "concurrency" ||
      this.kind === "server" ||
      this.kind === "network" ||
      this.kind === "timeout"
    );
  }
}

/**
 * Zoho's answer for an organization the token's user is not associated with (removed, or access withdrawn): code 6041,
 * "This user is not associated with the CompanyID/CompanyName:<id>." (Zoho's Deluge docs for Books, fetch-records);
 * Zoho Invoice answers 9017 (reference §6.2). Its HTTP status is UNVERIFIED, so the code alone decides.
 */
export const ORGANIZATION_GONE_CODES = [6041, 9017] as const;

function organizationGone(message: string, details: ZohoError["details"]): ZohoError {
  return new ZohoError(
    "organization_gone",
    "The Zoho organization is no longer reachable with this connection: it was removed, or the connected Zoho user " +
      `lost access to it (Zoho: "${message}"). ` +
      "Reconnect Zoho Books with a user of the organization, or choose another.",
    details,
  );
}

export function zohoErrorFrom(status: number, body: unknown, request: { method: string; path: string }): ZohoError {
  const envelope = (body ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof envelope.code === "number" ? envelope.code : Number(envelope.code);
  const message =
    typeof envelope.message === "string" && envelope.message ? envelope.message : `Zoho answered ${status}`;
  const details = { status, code: Number.isFinite(code) ? code : undefined, ...request };
  if ((ORGANIZATION_GONE_CODES as readonly number[]).includes(code)) return organizationGone(message, details);
  if (status === 429 || code === 44 || code === 45 || code === 1070) {
    return new ZohoError(
      code === 45 ? "daily_quota" : code === 1070 ? "concurrency" : "rate_limited",
      message,
      details,
    );
  }
  if (status === 401 || code === 14 || code === 57) return new ZohoError("unauthorized", message, details);
  if (status === 404 || code === 1002) return new ZohoError("not_found", message, details);
  if (status >= 500) return new ZohoError("server", message, details);
  return new ZohoError("rejected", message, details);
}

// Splynx failures, classified from the HTTP status and Splynx's error body, so callers decide without parsing.
import { ExternalServiceError } from "@/server/errors";

export type SplynxErrorKind =
  | "auth" // 401: key, secret, signature, nonce or token refused
  | "permission" // 403: the key lacks a permission
  | "not_found" // 404
  | "method_disabled" // 405: method disabled, or the record belongs to another partner
  | "validation" // 422: the record was refused, with field messages
  | "bad_request" // 400 and other 4xx
  | "server" // 5xx
  | "network" // no response: refused, reset, DNS
  | "timeout"
  | "bad_response"; // a 2xx body that isn't what the API promises

export type FieldMessage = { field: string; message: string };

export class SplynxError extends ExternalServiceError {
  constructor(
    readonly kind: SplynxErrorKind,
    message: string,
    readonly details: {
      status?: number;
      internalCode?: string;
      fields?: FieldMessage[];
      method?: string;
      path?: string;
    } = {},
  ) {
    super(message);
    this.name = "SplynxError";
  }

  /** Worth another try: nothing says the request reached Splynx's logic, or the server failed. */
  get transient(): boolean {
    return this.kind === "server" || this.kind === "network" || this.kind === "timeout";
  }
}

const KIND_BY_STATUS: Record<number, SplynxErrorKind> = {
  401: "auth",
  403: "permission",
  404: "not_found",
  405: "method_disabled",
  422: "validation",
};

/** Builds the error for a non-2xx response from its status and body (Splynx's `{error:{…}}` or Yii's `[{field,message}]`). */
export function errorFromResponse(
  status: number,
  bodyText: string,
  request: { method: string; path: string },
): SplynxError {
  const kind: SplynxErrorKind = KIND_BY_STATUS[status] ?? (status >= 500 ? "server" : "bad_request");
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const details = { status, method: request.method, path: request.path };
  if (Array.isArray(parsed)) {
    const fields = parsed
      .filter((item): item is { field?: unknown; message?: unknown } => item !== null && typeof item === "object")
      .map((item) => ({ field: String(item.field ?? ""), message: String(item.message ?? "") }));
    const message = fields
      .map((field) => (field.field ? `${field.field}: ${field.message}` : field.message))
      .join("; ");
    return new SplynxError(kind, message || `Splynx answered ${status}`, { ...details, fields });
  }
  const error = (parsed as { error?: { message?: unknown; internal_code?: unknown } } | undefined)?.error;
  if (error && typeof error === "object") {
    return new SplynxError(kind, String(error.message ?? `Splynx answered ${status}`), {
      ...details,
      internalCode: typeof error.internal_code === "string" ? error.internal_code : undefined,
    });
  }
  const snippet = bodyText.trim().slice(0, 200);
  return new SplynxError(
    kind,
    snippet ? `Splynx answered ${status}: ${snippet}` : `Splynx answered ${status}`,
    details,
  );
}

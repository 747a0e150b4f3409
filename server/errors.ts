// Errors the domain raises on purpose: a code the API maps to a status, a message for people, the field at fault.
export type DomainErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** A failure reported by Splynx or Zoho: shown to people with the service's own message, not as a server fault. */
export class ExternalServiceError extends Error {}

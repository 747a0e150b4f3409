// One request and its whole answer within a deadline that ends the wait by itself, with the body's size bounded: a
// fetch that does not honour its abort signal (a derived one whose controller was collected) would otherwise leave the
// call hanging, and with it a lane, a page, or the lock a Splynx nonce holds.
import { BodyTooLarge, readBoundedText } from "./bounded-body";

/** Where an exchange failed: no answer in time, no connection, the connection lost mid-answer, or too big an answer. */
export type ExchangeFailure = "timeout" | "unreachable" | "dropped" | "too_large";

export class ExchangeFailed extends Error {
  constructor(
    readonly failure: ExchangeFailure,
    /** The answer's status, once it began. */
    readonly status: number | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = "ExchangeFailed";
  }
}

/** Keeps a promise that may lose a race from being reported as an unhandled rejection. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

const causeOf = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
};

export async function exchangeWithin(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  limits: { timeoutMs: number; maxBodyBytes: number },
): Promise<{ response: Response; text: string }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = settledLater(
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason = new DOMException("No answer in time", "TimeoutError");
        controller.abort(reason);
        reject(reason);
      }, limits.timeoutMs);
    }),
  );
  const isTimeout = (error: unknown) => ["TimeoutError", "AbortError"].includes((error as Error).name);
  try {
    let response: Response;
    try {
      response = await Promise.race([settledLater(fetchImpl(url, { ...init, signal: controller.signal })), timedOut]);
    } catch (error) {
      if (isTimeout(error)) throw new ExchangeFailed("timeout", undefined, "no answer in time");
      throw new ExchangeFailed("unreachable", undefined, causeOf(error));
    }
    try {
      const text = await Promise.race([settledLater(readBoundedText(response, limits.maxBodyBytes)), timedOut]);
      return { response, text };
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new ExchangeFailed("too_large", response.status, error.message);
      if (isTimeout(error)) throw new ExchangeFailed("timeout", response.status, "the answer did not end in time");
      throw new ExchangeFailed("dropped", response.status, causeOf(error));
    }
  } finally {
    clearTimeout(timer);
  }
}

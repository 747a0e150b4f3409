// Runs a fetch-style simulator handler as a real HTTP server, or as an in-process fetch, for tests, tools and the sandbox.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (request: Request) => Promise<Response>;

/** Thrown by a handler to close the connection without answering. */
export class DroppedConnection extends Error {}

async function toRequest(message: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(new URL(message.url ?? "/", origin), {
    method: message.method,
    headers,
    body: message.method === "GET" || message.method === "HEAD" ? undefined : body,
  });
}

export async function serveHttp(handler: Handler, options: { port?: number; host?: string } = {}) {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((message, reply) => {
    void (async () => {
      try {
        const response = await handler(await toRequest(message, `http://${host}`));
        reply.writeHead(response.status, Object.fromEntries(response.headers));
        reply.end(message.method === "HEAD" ? undefined : Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        if (error instanceof DroppedConnection) message.socket.destroy();
        else {
          console.error("simulator failed:", error);
          reply.writeHead(500).end();
        }
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `fetch` that answers from the handler in-process; a dropped connection surfaces as fetch's own network error. */
export function inProcessFetch(handler: Handler): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    try {
      const signal = request.signal;
      // Honour timeouts as a socket would: the caller's abort ends the wait.
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      );
      return await Promise.race([handler(request), aborted]);
    } catch (error) {
      if (error instanceof DroppedConnection)
        throw new TypeError("fetch failed", { cause: { code: "ECONNRESET", message: "socket hang up" } });
      throw error;
    }
  };
}

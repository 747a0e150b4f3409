// A "Splynx" or "Zoho" that never stops talking: endless bodies and endless full pages end in a clear error, with what
// was read bounded, against raw HTTP servers doing what a hostile upstream would.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { SplynxClient } from "@/server/splynx/client";
import { processNonceSource } from "@/server/splynx/nonces";
import { ZohoBooksClient } from "@/server/zoho/books";
import type { ZohoLimiter } from "@/server/zoho/limiter";

const MB = 1_048_576;

/** A raw HTTP server for the calling test; `written` counts the bytes it managed to send. */
async function hostileServer(answer: (url: URL, reply: ServerResponse, sent: (bytes: number) => void) => void) {
  const stats = { written: 0, requests: 0 };
  const server = createServer((request, reply) => {
    stats.requests++;
    answer(new URL(request.url ?? "/", "http://hostile.test"), reply, (bytes) => {
      stats.written += bytes;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

/** Streams `[{"id":1,…},…` without end, as long as the client keeps reading. */
function endlessBody(reply: ServerResponse, sent: (bytes: number) => void) {
  reply.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.from(`{"id":1,"name":"${"x".repeat(64 * 1024)}"},`);
  reply.write("[");
  const pump = () => {
    while (!reply.destroyed && reply.write(chunk)) sent(chunk.length);
    if (!reply.destroyed) reply.once("drain", pump);
  };
  pump();
}

const splynxAt = (url: string, options: { maxBodyBytes?: number; maxListRecords?: number } = {}) =>
  new SplynxClient({
    baseUrl: url,
    apiKey: "key",
    apiSecret: "secret",
    authMode: "signature",
    nonces: processNonceSource(),
    readAttempts: 1,
    ...options,
  });

const zohoAt = (url: string, options: { maxBodyBytes?: number; maxListRecords?: number } = {}) =>
  new ZohoBooksClient({
    apiDomain: url,
    // Listing organizations happens before one is chosen, so no limiter slot is taken.
    organizationId: "",
    accessToken: async () => "1000.token",
    limiter: {} as ZohoLimiter,
    maxAttempts: 1,
    ...options,
  });

describe("hostile upstreams", () => {
  it("stops reading a Splynx answer that never ends at 16 MB, and one that announces more at once", async () => {
    const { url, stats } = await hostileServer((_url, reply, sent) => endlessBody(reply, sent));
    await expect(splynxAt(url).get("customers", 1)).rejects.toMatchObject({
      name: "SplynxError",
      kind: "bad_response",
      message: "Splynx's answer to GET admin/customers/customer/1 passed 16 MB; Ledgerlink stopped reading it",
    });
    // What the server got out before the client hung up: the cap plus what sockets buffer, nowhere near endless.
    expect(stats.written).toBeLessThan(48 * MB);

    const announced = await hostileServer((_url, reply) => {
      reply.writeHead(200, { "content-type": "application/json", "content-length": String(100 * 1024 * MB) });
      reply.write("[");
    });
    await expect(splynxAt(announced.url).get("customers", 1)).rejects.toMatchObject({ kind: "bad_response" });
  });

  it("ends a Splynx listing of endless full pages, and refuses a page larger than asked for", async () => {
    let nextId = 1;
    const { url, stats } = await hostileServer((requested, reply) => {
      const limit = Number(requested.searchParams.get("limit"));
      const page = Array.from({ length: limit }, () => ({ id: nextId++ }));
      reply.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(page));
    });
    const read = async (client: SplynxClient, pageSize: number) => {
      for await (const _page of client.pages("partners", { pageSize })) {
        // Only the reading matters.
      }
    };
    await expect(read(splynxAt(url, { maxListRecords: 5000 }), 500)).rejects.toMatchObject({
      kind: "bad_response",
      message:
        "Splynx kept sending admin/administration/partners past 5000 records; Ledgerlink stopped reading the list",
    });
    expect(stats.requests).toBe(11);

    const oversized = await hostileServer((_requested, reply) => {
      const page = Array.from({ length: 501 }, (_, index) => ({ id: index + 1 }));
      reply.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(page));
    });
    await expect(read(splynxAt(oversized.url), 500)).rejects.toMatchObject({
      message: "Splynx sent 501 records of admin/administration/partners for a page of 500",
    });
  });

  it("stops reading a Zoho answer that never ends, and a Zoho list that always has more pages", async () => {
    const endless = await hostileServer((_url, reply, sent) => endlessBody(reply, sent));
    await expect(zohoAt(endless.url, { maxBodyBytes: MB }).organizations()).rejects.toMatchObject({
      name: "ZohoError",
      kind: "bad_response",
      message: "Zoho's answer to GET /organizations passed 1 MB; Ledgerlink stopped reading it",
    });

    let nextId = 1;
    const { url, stats } = await hostileServer((_requested, reply) => {
      const contacts = Array.from({ length: 200 }, () => ({ contact_id: String(nextId++) }));
      const body = { code: 0, message: "success", contacts, page_context: { has_more_page: true } };
      reply.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await expect(zohoAt(url, { maxListRecords: 2000 }).all("/contacts", "contacts")).rejects.toMatchObject({
      kind: "bad_response",
      message: "Zoho kept sending /contacts past 2000 records; Ledgerlink stopped",
    });
    expect(stats.requests).toBe(11);
  });
});

// Failures explained in words with the page that fixes them, from the messages the clients and the sync really write.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SplynxClient } from "@/server/splynx/client";
import { processNonceSource } from "@/server/splynx/nonces";
import { explainError } from "./error-explanations";

const clientFor = (baseUrl: string) =>
  new SplynxClient({
    baseUrl,
    apiKey: "key",
    apiSecret: "secret",
    authMode: "signature",
    nonces: processNonceSource(),
    readAttempts: 1,
    timeoutMs: 2_000,
  });

async function failureOf(baseUrl: string): Promise<string> {
  try {
    await clientFor(baseUrl).get("customers", 1);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the call succeeded");
}

let closed: Server;
let closedPort = 0;
beforeAll(async () => {
  // A port that was listening and is closed again: nothing answers there.
  closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedPort = (closed.address() as { port: number }).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(() => closed.listening && closed.close());

describe("explainError", () => {
  it("says Splynx did not answer at an address no one knows, and sends to the URL", async () => {
    const message = await failureOf("http://splynx.ledgerlink-test.invalid");
    expect(message).toMatch(/^Could not reach Splynx \((ENOTFOUND|EAI_AGAIN)\)$/);
    expect(explainError(message)).toEqual({
      cause: "Splynx did not answer at that address: no server is known by that name.",
      fix: "Check the Splynx URL",
      path: "connections/splynx",
    });
  });

  it("says nothing answered at an address where no server listens", async () => {
    const message = await failureOf(`http://127.0.0.1:${closedPort}`);
    expect(message).toBe("Could not reach Splynx (ECONNREFUSED)");
    expect(explainError(message)).toMatchObject({ fix: "Check the Splynx URL and that Splynx is reachable" });
  });

  it("sends a document's unmapped category or tax to its mapping screen, and a reconnect to Zoho's", () => {
    expect(
      explainError("Transaction category 'Internet 100M' has no Zoho item: map it on Mapping → Accounting categories."),
    ).toMatchObject({ path: "mapping?screen=category_item", fix: "Map it on Accounting categories" });
    expect(explainError("Tax 'VAT 20%' has no Zoho tax: map it on Mapping → Tax rates.")).toMatchObject({
      path: "mapping?screen=tax",
    });
    expect(explainError("Zoho Books needs reconnecting.")).toMatchObject({ path: "connections/zoho" });
  });

  it("leaves a message it has no kind for alone", () => {
    expect(explainError("Zoho refused the invoice: the number is already used")).toBeNull();
    expect(explainError(null)).toBeNull();
  });
});

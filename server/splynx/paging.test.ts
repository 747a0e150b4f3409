// Paging against a Splynx server that caps its pages below the `limit` asked for: the listing ends only at an empty page.
import { describe, expect, it } from "vitest";
import { inProcessFetch } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator, type SimulatorOptions } from "@/server/sandbox/splynx/simulator";
import { SplynxClient } from "./client";
import { processNonceSource } from "./nonces";

const KEY = { key: "paging-key", secret: "paging-secret", title: "Paging", checkNonce: true, unsecureAccess: true };

function capped(options: Partial<SimulatorOptions> = {}) {
  const simulator = createSplynxSimulator({ seed: 5, customers: 130, invoices: 0, apiKeys: [KEY], ...options });
  const client = new SplynxClient({
    baseUrl: "http://splynx.test",
    apiKey: KEY.key,
    apiSecret: KEY.secret,
    authMode: "signature",
    nonces: processNonceSource(),
    fetch: inProcessFetch(simulator.handle),
  });
  return { simulator, client };
}

async function readAll(client: SplynxClient, pageSize: number) {
  const pages: number[][] = [];
  for await (const page of client.pages("customers", { pageSize }))
    pages.push(page.records.map((customer) => customer.id));
  return pages;
}

describe("Splynx paging", () => {
  it("a server with a page cap answers at most that many rows, and still counts every match", async () => {
    const { simulator } = capped({ maxPageSize: 50 });
    const basic = { authorization: `Basic ${Buffer.from(`${KEY.key}:${KEY.secret}`).toString("base64")}` };
    const list = await simulator.handle(
      new Request("http://splynx.test/api/2.0/admin/customers/customer?limit=200", { headers: basic }),
    );
    expect(((await list.json()) as unknown[]).length).toBe(50);
    const count = await simulator.handle(
      new Request("http://splynx.test/api/2.0/admin/customers/customer?limit=200", { method: "HEAD", headers: basic }),
    );
    expect(count.headers.get("X-total-count")).toBe("130");
  });

  it("reads every record when the server caps pages below the size asked (50 of 200), ending at an empty page", async () => {
    const { simulator, client } = capped({ maxPageSize: 50 });
    const pages = await readAll(client, 200);
    expect(pages.map((ids) => ids.length)).toEqual([50, 50, 30]);
    expect(pages.flat()).toEqual(simulator.store.customers.all().map((customer) => customer.id));
    // Three pages of records and the empty one that ends the listing.
    expect(client.calls).toBe(4);
  });

  it("keeps keyset paging: a record added mid-listing comes once, at its place in id order", async () => {
    const { simulator, client } = capped({ maxPageSize: 50 });
    const seen: number[] = [];
    for await (const page of client.pages("customers", { pageSize: 200 })) {
      seen.push(...page.records.map((customer) => customer.id));
      if (seen.length === 50)
        simulator.store.customers.insert({
          ...simulator.store.customers.get(1)!,
          id: undefined,
          name: "Added mid-listing",
        });
    }
    expect(seen).toEqual(simulator.store.customers.all().map((customer) => customer.id));
    expect(new Set(seen).size).toBe(131);
  });

  it("without a cap, full pages then the empty one; a cap changed between listings is honoured", async () => {
    const { simulator, client } = capped();
    expect((await readAll(client, 100)).map((ids) => ids.length)).toEqual([100, 30]);
    simulator.config.maxPageSize = 20;
    expect((await readAll(client, 100)).flat()).toHaveLength(130);
  });
});

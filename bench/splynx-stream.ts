// Streams every invoice from a Splynx simulator in another process and samples this process's memory as it goes.
// Run: node --expose-gc --import tsx bench/splynx-stream.ts [invoices] [pageSize]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { SplynxClient } from "../server/splynx/client";
import { processNonceSource } from "../server/splynx/nonces";

const invoices = Number(process.argv[2] ?? 100_000);
const pageSize = Number(process.argv[3] ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("Run with node --expose-gc so heap samples are taken after collection");

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
function settledHeap(): number {
  gc!();
  return process.memoryUsage().heapUsed;
}

const simulator = spawn(
  "node",
  [
    "--import",
    "tsx",
    "scripts/sim-splynx.ts",
    "--port",
    "0",
    "--invoices",
    String(invoices),
    "--customers",
    String(Math.ceil(invoices / 5)),
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const lines = createInterface({ input: simulator.stdout! });
let baseUrl = "";
for await (const line of lines) {
  const match = /at (http:\/\/[^/]+)\/api\/2\.0\//.exec(line);
  if (match) {
    baseUrl = match[1]!;
    break;
  }
}

const client = new SplynxClient({
  baseUrl,
  apiKey: "sim-key",
  apiSecret: "sim-secret",
  authMode: "signature",
  nonces: processNonceSource(),
});
const baseline = settledHeap();
const samples: { records: number; heap: number }[] = [];
let records = 0;
let items = 0;
let pages = 0;
let peakRss = 0;
const started = performance.now();
for await (const page of client.pages("invoices", { pageSize })) {
  pages++;
  records += page.records.length;
  for (const invoice of page.records) items += invoice.items.length;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (pages % Math.max(1, Math.floor(invoices / pageSize / 10)) === 0) samples.push({ records, heap: settledHeap() });
}
const seconds = (performance.now() - started) / 1000;
simulator.kill("SIGTERM");
await once(simulator, "exit");

console.log(`invoices streamed: ${records} (${items} items) in ${pages} pages of ${pageSize}`);
console.log(
  `wall time: ${seconds.toFixed(1)} s, ${Math.round(records / seconds)} invoices/s, ${client.calls} Splynx calls`,
);
console.log(
  `heap after GC: baseline ${mib(baseline)} MiB; ${samples.map((sample) => `${sample.records}: ${mib(sample.heap)}`).join(", ")} MiB`,
);
console.log(
  `heap growth from baseline to end: ${mib(samples.at(-1)!.heap - baseline)} MiB; peak RSS ${mib(peakRss)} MiB`,
);

// `npm run sim:splynx -- --port 4010 --seed 1 --customers 500 --invoices 5000`: the Splynx simulator as its own server.
import { parseArgs } from "node:util";
import { serveHttp } from "../server/sandbox/http-adapter";
import { createSplynxSimulator } from "../server/sandbox/splynx/simulator";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    seed: { type: "string", default: "1" },
    customers: { type: "string", default: "500" },
    invoices: { type: "string", default: "5000" },
    key: { type: "string", default: "sim-key" },
    secret: { type: "string", default: "sim-secret" },
    "check-nonce": { type: "boolean", default: true },
  },
});

const started = performance.now();
const simulator = createSplynxSimulator({
  seed: Number(values.seed),
  customers: Number(values.customers),
  invoices: Number(values.invoices),
  apiKeys: [
    {
      key: values.key,
      secret: values.secret,
      title: "Simulator",
      checkNonce: values["check-nonce"],
      unsecureAccess: true,
    },
  ],
});
const server = await serveHttp(simulator.handle, { port: Number(values.port) });
const { store } = simulator;
console.log(`Splynx simulator at ${server.url}/api/2.0/ (seeded in ${Math.round(performance.now() - started)} ms)`);
console.log(
  `  ${store.customers.size} customers, ${store.invoices.size} invoices, ${store.creditNotes.size} credit notes, ${store.payments.size} payments`,
);
console.log(`  API key ${values.key}, secret ${values.secret} (signature, token or Basic auth)`);
process.on("SIGINT", () => void server.close().then(() => process.exit(0)));
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));

// `npm run sim:zoho -- --port 4020`: the Zoho accounts server and Books API as their own server.
import { parseArgs } from "node:util";
import { serveHttp } from "../server/sandbox/http-adapter";
import { createZohoSimulator, type ZohoSimulator } from "../server/sandbox/zoho/simulator";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4020" },
    "client-id": { type: "string", default: "sim-client" },
    "client-secret": { type: "string", default: "sim-client-secret" },
    "window-ms": { type: "string", default: "60000" },
  },
});

let simulator!: ZohoSimulator;
const server = await serveHttp((request) => simulator.handle(request), { port: Number(values.port) });
simulator = createZohoSimulator({
  accountsServer: server.url,
  apiDomain: server.url,
  windowMs: Number(values["window-ms"]),
  clients: [{ clientId: values["client-id"], clientSecret: values["client-secret"], redirectUris: [] }],
});
console.log(
  `Zoho simulator at ${server.url}: consent ${server.url}/oauth/v2/auth, tokens ${server.url}/oauth/v2/token, Books ${server.url}/books/v3/`,
);
console.log(
  `  OAuth client ${values["client-id"]} / ${values["client-secret"]}; organizations ${[...simulator.store.organizations.values()].map((org) => `${org.details.name} (${org.id}, ${org.details.plan})`).join(", ")}`,
);
process.on("SIGINT", () => void server.close().then(() => process.exit(0)));
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));

// The bench's side of the many-tenant simulators (simulators-process.ts): starting them in a child process, each
// tenant's addresses, keys and organization, and reading what they saw.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export type SimulatorStats = {
  /** Books calls answered per epoch second. */
  perSecond: Record<string, number>;
  /** Books calls answered per tenant. */
  perTenant: number[];
  rejected429: number;
  /** The most calls one organization had inside one of Zoho's windows. */
  busiestWindow: number;
  cpu: NodeJS.CpuUsage;
  rss: number;
  eventLoopMs: { p99: number; max: number };
};

/** Tenant i's Zoho organization id: 19 digits like Zoho's, unique per tenant. */
export const organizationIdOf = (tenant: number) => `26466${String(tenant).padStart(6, "0")}00000001`;
/** Tenant i's own Splynx API key, so its nonces are its own as an ISP's are. */
export const splynxKeyOf = (tenant: number) => ({ key: `ledgerlink-${tenant}`, secret: `secret-${tenant}` });

/** Starts the simulators in a child process (leaving this one's CPU to the engine); resolves once they listen. */
export async function startTenantSimulators(options: { tenants: number; customers: number; windowMs: number }) {
  const args = [options.tenants, options.customers, options.windowMs].map(String);
  const child = spawn("node", ["--import", "tsx", "bench/lib/simulators-process.ts", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await createInterface({ input: child.stdout })
    [Symbol.asyncIterator]()
    .next()
    .then((next) => [next.value as string | undefined]);
  if (!line) throw new Error("The simulators' process ended before it listened");
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    splynxUrlOf: (tenant: number) => `${url}/s/${tenant}`,
    zohoUrlOf: (tenant: number) => `${url}/z/${tenant}`,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as SimulatorStats,
    stop: () => child.kill("SIGTERM"),
  };
}

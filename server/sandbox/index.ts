// The sandbox: simulators that live inside the app process, reachable as `sandbox://` connections and under /sandbox.
import { createHash } from "node:crypto";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { ZOHO_CALLBACK_PATH } from "@/server/zoho/oauth";
import { inProcessFetch } from "./http-adapter";
import { createTenantRegistry, RegistryFull, type RegistryLimits } from "./registry";
import { createSplynxSimulator, type SplynxSimulator } from "./splynx/simulator";
import { createZohoSimulator, type ZohoSimulator } from "./zoho/simulator";

export const SANDBOX_SPLYNX_URL = "sandbox://splynx";

/** The sandbox Splynx's API keys: one that may do everything the sync needs, one that may only read. */
export const SANDBOX_SPLYNX_KEYS = {
  full: { key: "ledgerlink-sandbox-full", secret: "sandbox-full-secret-7c2e91" },
  readOnly: { key: "ledgerlink-sandbox-readonly", secret: "sandbox-readonly-secret-4b8d03" },
} as const;

const READ_ONLY = Object.fromEntries(
  [
    "admin/customers/customer",
    "admin/finance/invoices",
    "admin/finance/credit-notes",
    "admin/finance/payments",
    "admin/finance/payment-methods",
    "admin/finance/transaction-categories",
    "admin/config/taxes",
    "admin/administration/partners",
    "admin/finance/bank-statements",
    "admin/finance/bank-statements-records",
  ].map((path) => [path, ["GET" as const]]),
);

export function isSandboxUrl(url: string): boolean {
  return url.startsWith("sandbox://");
}

/**
 * How many tenants keep a sandbox in memory (each holds about 10 MB) and for how long unused. A forgotten sandbox is
 * seeded afresh at its next use, as after a restart: its changes are gone, and its Zoho tokens with them, so the
 * tenant's sandbox Zoho connection asks to be reconnected. One used in the last 10 minutes is never forgotten for
 * another tenant's: a new sandbox waits until one is free.
 */
export const sandboxLimits = (): RegistryLimits => ({
  maxTenants: env().sandboxTenants,
  idleMs: 2 * 3_600_000,
  keepMs: 10 * 60_000,
});

export const SANDBOX_AT_CAPACITY = "The sandbox is at capacity right now; try again in a few minutes.";

/** One tenant's simulators: its Splynx, and its Zoho Books seeded from that Splynx's customers on first use. */
type TenantSandbox = { splynx: SplynxSimulator; zoho?: ZohoSimulator };

function createSandboxSplynx(): SplynxSimulator {
  return createSplynxSimulator({
    seed: 20261101,
    customers: 250,
    invoices: 1500,
    apiKeys: [
      { ...SANDBOX_SPLYNX_KEYS.full, title: "Ledgerlink sandbox", checkNonce: true, unsecureAccess: false },
      {
        ...SANDBOX_SPLYNX_KEYS.readOnly,
        title: "Read-only",
        checkNonce: false,
        unsecureAccess: false,
        permissions: READ_ONLY,
      },
    ],
  });
}

// On globalThis: Next.js may load this module more than once, and every copy must find the same sandboxes.
type Holder = { ledgerlinkSandboxes?: ReturnType<typeof createTenantRegistry<TenantSandbox>> };

function tenantSandbox(tenantId: string): TenantSandbox {
  if (!env().sandbox)
    throw new DomainError("BAD_REQUEST", "The sandbox is switched off on this server (LEDGERLINK_SANDBOX).", "baseUrl");
  const holder = globalThis as Holder;
  holder.ledgerlinkSandboxes ??= createTenantRegistry(() => ({ splynx: createSandboxSplynx() }), sandboxLimits());
  try {
    return holder.ledgerlinkSandboxes.get(tenantId);
  } catch (error) {
    if (error instanceof RegistryFull) throw new DomainError("CONFLICT", SANDBOX_AT_CAPACITY, "baseUrl");
    throw error;
  }
}

/** The tenant's own sandbox Splynx, seeded the same way for every tenant; no other tenant reaches it. */
export function sandboxSplynx(tenantId: string): SplynxSimulator {
  return tenantSandbox(tenantId).splynx;
}

/**
 * The tenant's sandbox Splynx in-process; each request finds the sandbox anew, so a long sync keeps it in use. It is
 * claimed now, so a sandbox at capacity refuses here with its message rather than as an unreachable Splynx.
 */
export function sandboxSplynxFetch(tenantId: string): typeof fetch {
  tenantSandbox(tenantId);
  return inProcessFetch((request) => sandboxSplynx(tenantId).handle(request));
}

export const SANDBOX_ZOHO = {
  accountsServer: "sandbox://zoho-accounts",
  apiDomain: "sandbox://zoho-api",
  app: { clientId: "ledgerlink-sandbox-app", clientSecret: "sandbox-app-secret-91f3" },
} as const;

/** Where a tenant's simulator is reached over HTTP under the app's own origin (the Zoho consent page among them). */
export const sandboxPath = (tenantSlug: string, simulator: "zoho" | "splynx") =>
  `/sandbox/${encodeURIComponent(tenantSlug)}/${simulator}`;

/** Where the sandbox's consent may send people back: the app's OAuth callback (zoho/connection.ts's callbackUrl). */
function sandboxRedirectUris(): string[] {
  const appUrl = env().appUrl?.replace(/\/+$/, "");
  return [ZOHO_CALLBACK_PATH, ...(appUrl ? [`${appUrl}${ZOHO_CALLBACK_PATH}`] : [])];
}

/**
 * Organization ids of the tenant's own, the same after a restart: Zoho's rate limits and quota are kept per
 * organization id across tenants (as two tenants may share a real one), so sandboxes must not share theirs.
 */
function sandboxOrganizationIds(tenantId: string): [string, string] {
  const digits = String(createHash("sha256").update(tenantId).digest().readUInt32BE(0) % 10_000_000).padStart(7, "0");
  return [`264661${digits}000001`, `371982${digits}000001`];
}

/**
 * A sandbox Zoho Books whose contacts include some of the sandbox Splynx's customers, to pair. Splynx's API has no
 * currency per customer, so the customer billed in another currency is a Zoho contact: the first of the Norwegian
 * partner's (partner 3) is kept in euros, and its documents need Zoho's exchange rates.
 */
function createSandboxZoho(tenantId: string, splynx: SplynxSimulator): ZohoSimulator {
  const matching = splynx.store.customers
    .all()
    .slice(0, 30)
    .filter((customer) => customer.email);
  const inEuros = matching.find((customer) => String(customer.partner_id) === "3");
  return createZohoSimulator({
    windowMs: env().sandboxMinuteMs,
    accountsServer: SANDBOX_ZOHO.accountsServer,
    apiDomain: SANDBOX_ZOHO.apiDomain,
    organizationIds: sandboxOrganizationIds(tenantId),
    contacts: matching.map((customer) => ({
      name: String(customer.name),
      email: String(customer.email),
      company: customer.category === "company" ? String(customer.name) : undefined,
      currencyCode: customer === inEuros ? "EUR" : undefined,
    })),
    // Only the app's own callback, on the origin the consent page is served from (or APP_URL's).
    clients: [{ ...SANDBOX_ZOHO.app, redirectUris: sandboxRedirectUris() }],
  });
}

/** The tenant's own sandbox Zoho Books: its organizations, records and tokens are no other tenant's. */
export function sandboxZoho(tenantId: string): ZohoSimulator {
  const sandbox = tenantSandbox(tenantId);
  sandbox.zoho ??= createSandboxZoho(tenantId, sandbox.splynx);
  return sandbox.zoho;
}

/** As sandboxSplynxFetch: claimed now, then found anew on each request. */
export function sandboxZohoFetch(tenantId: string): typeof fetch {
  tenantSandbox(tenantId);
  return inProcessFetch((request) => sandboxZoho(tenantId).handle(request));
}

// The sandbox: simulators that live inside the app process, reachable as `sandbox://` connections and under /sandbox.
import { env } from "@/server/env";
import { DomainError } from "@/server/errors";
import { ZOHO_CALLBACK_PATH } from "@/server/zoho/oauth";
import { inProcessFetch } from "./http-adapter";
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

type Holder = { ledgerlinkSandboxSplynx?: SplynxSimulator };

export function isSandboxUrl(url: string): boolean {
  return url.startsWith("sandbox://");
}

/** The process's sandbox Splynx, seeded the same way on every start (its changes last until the process ends). */
export function sandboxSplynx(): SplynxSimulator {
  if (!env().sandbox)
    throw new DomainError("BAD_REQUEST", "The sandbox is switched off on this server (LEDGERLINK_SANDBOX).", "baseUrl");
  const holder = globalThis as Holder;
  holder.ledgerlinkSandboxSplynx ??= createSplynxSimulator({
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
  return holder.ledgerlinkSandboxSplynx;
}

export function sandboxSplynxFetch(): typeof fetch {
  return inProcessFetch(sandboxSplynx().handle);
}

export const SANDBOX_ZOHO = {
  accountsServer: "sandbox://zoho-accounts",
  apiDomain: "sandbox://zoho-api",
  /** Where browsers reach the sandbox's consent page, under the app's own origin. */
  consentPath: "/sandbox/zoho",
  app: { clientId: "ledgerlink-sandbox-app", clientSecret: "sandbox-app-secret-91f3" },
} as const;

/** Where the sandbox's consent may send people back: the app's OAuth callback (zoho/connection.ts's callbackUrl). */
function sandboxRedirectUris(): string[] {
  const appUrl = env().appUrl?.replace(/\/+$/, "");
  return [ZOHO_CALLBACK_PATH, ...(appUrl ? [`${appUrl}${ZOHO_CALLBACK_PATH}`] : [])];
}

type ZohoHolder = { ledgerlinkSandboxZoho?: ZohoSimulator };

/**
 * The process's sandbox Zoho Books; some of its contacts match sandbox Splynx customers, to pair. Splynx's API has no
 * currency per customer, so the customer billed in another currency is a Zoho contact: the first of the Norwegian
 * partner's (partner 3) is kept in euros, and its documents need Zoho's exchange rates.
 */
export function sandboxZoho(): ZohoSimulator {
  const splynx = sandboxSplynx();
  const holder = globalThis as ZohoHolder;
  const matching = splynx.store.customers
    .all()
    .slice(0, 30)
    .filter((customer) => customer.email);
  const inEuros = matching.find((customer) => String(customer.partner_id) === "3");
  holder.ledgerlinkSandboxZoho ??= createZohoSimulator({
    windowMs: env().sandboxMinuteMs,
    accountsServer: SANDBOX_ZOHO.accountsServer,
    apiDomain: SANDBOX_ZOHO.apiDomain,
    contacts: matching.map((customer) => ({
      name: String(customer.name),
      email: String(customer.email),
      company: customer.category === "company" ? String(customer.name) : undefined,
      currencyCode: customer === inEuros ? "EUR" : undefined,
    })),
    // Only the app's own callback, on the origin the consent page is served from (or APP_URL's).
    clients: [{ ...SANDBOX_ZOHO.app, redirectUris: sandboxRedirectUris() }],
  });
  return holder.ledgerlinkSandboxZoho;
}

export function sandboxZohoFetch(): typeof fetch {
  return inProcessFetch(sandboxZoho().handle);
}

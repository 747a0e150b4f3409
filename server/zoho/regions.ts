// Zoho's data centres: where a region's people consent (accounts server) and where its Books API lives.

export const ZOHO_REGIONS = {
  US: {
    web: "https://books.zoho.com",
    label: "United States (zoho.com)",
    accounts: "https://accounts.zoho.com",
    api: "https://www.zohoapis.com",
  },
  EU: {
    web: "https://books.zoho.eu",
    label: "Europe (zoho.eu)",
    accounts: "https://accounts.zoho.eu",
    api: "https://www.zohoapis.eu",
  },
  IN: {
    web: "https://books.zoho.in",
    label: "India (zoho.in)",
    accounts: "https://accounts.zoho.in",
    api: "https://www.zohoapis.in",
  },
  AU: {
    web: "https://books.zoho.com.au",
    label: "Australia (zoho.com.au)",
    accounts: "https://accounts.zoho.com.au",
    api: "https://www.zohoapis.com.au",
  },
  JP: {
    web: "https://books.zoho.jp",
    label: "Japan (zoho.jp)",
    accounts: "https://accounts.zoho.jp",
    api: "https://www.zohoapis.jp",
  },
  // Canada's accounts host is zohocloud.ca; accounts.zoho.ca does not answer.
  // The Canadian web app host is UNVERIFIED; it follows the accounts host.
  CA: {
    web: "https://books.zohocloud.ca",
    label: "Canada (zohocloud.ca)",
    accounts: "https://accounts.zohocloud.ca",
    api: "https://www.zohoapis.ca",
  },
  CN: {
    web: "https://books.zoho.com.cn",
    label: "China (zoho.com.cn)",
    accounts: "https://accounts.zoho.com.cn",
    api: "https://www.zohoapis.com.cn",
  },
  SA: {
    web: "https://books.zoho.sa",
    label: "Saudi Arabia (zoho.sa)",
    accounts: "https://accounts.zoho.sa",
    api: "https://www.zohoapis.sa",
  },
} as const;

export type ZohoRegion = keyof typeof ZOHO_REGIONS;
export const ZOHO_REGION_CODES = Object.keys(ZOHO_REGIONS) as ZohoRegion[];

/** The Zoho accounts hosts a callback's `accounts-server` may name; anything else is refused. */
export function isKnownAccountsServer(value: string): boolean {
  return Object.values(ZOHO_REGIONS).some((region) => region.accounts === value.replace(/\/+$/, ""));
}

/** The region whose accounts server this is, to warn when it differs from the region chosen. */
export function regionOfAccountsServer(value: string): ZohoRegion | undefined {
  return ZOHO_REGION_CODES.find((code) => ZOHO_REGIONS[code].accounts === value.replace(/\/+$/, ""));
}

/** Zoho's API hosts, so a token response's `api_domain` can be trusted only when it is one of them. */
export function isKnownApiDomain(value: string): boolean {
  return Object.values(ZOHO_REGIONS).some((region) => region.api === value.replace(/\/+$/, ""));
}

/** Where a person opens a Books record in Zoho's web app. */
export function zohoRecordUrl(
  region: ZohoRegion,
  organizationId: string,
  kind: "contacts" | "invoices" | "creditnotes" | "paymentsreceived",
  id: string,
): string {
  return `${ZOHO_REGIONS[region].web}/app/${organizationId}#/${kind}/${id}`;
}

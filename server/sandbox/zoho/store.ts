// The Zoho simulator's state: organizations with their Books records, and the accounts server's clients and tokens.
export type Plan = "free" | "standard" | "professional" | "premium";
export const PLAN_LIMITS: Record<Plan, { daily: number; concurrency: number }> = {
  free: { daily: 1000, concurrency: 5 },
  standard: { daily: 2000, concurrency: 10 },
  professional: { daily: 5000, concurrency: 10 },
  premium: { daily: 10000, concurrency: 10 },
};

export type BooksRecord = Record<string, unknown>;

/** Organization preferences that change how Books answers; tests and the sandbox set them per organization. */
export type OrganizationPreferences = {
  /** Settings → Customers and Vendors: "Allow duplicates for customer and vendor display name" (Zoho's default: on). */
  allowDuplicateDisplayNames: boolean;
  /**
   * Where tax is rounded: per line (`item_level`) or once per tax on the whole document (`entity_level`). Real answers
   * carry it on each invoice as `tax_rounding` ("entity_level" and "item_level" both seen in public payloads of Books
   * answers); which screen sets it, and Zoho's default, are UNVERIFIED. The simulator's default keeps its line rounding.
   */
  taxRounding: "item_level" | "entity_level";
};

const DEFAULT_PREFERENCES: OrganizationPreferences = { allowDuplicateDisplayNames: true, taxRounding: "item_level" };

/** One organization's Books data; ids are 19-digit strings, as Zoho's are. */
export class Organization {
  readonly contacts = new Map<string, BooksRecord>();
  readonly items = new Map<string, BooksRecord>();
  readonly accounts = new Map<string, BooksRecord>();
  readonly taxes = new Map<string, BooksRecord>();
  readonly currencies = new Map<string, BooksRecord>();
  readonly invoices = new Map<string, BooksRecord>();
  readonly creditNotes = new Map<string, BooksRecord>();
  readonly payments = new Map<string, BooksRecord>();
  /** Document numbers in use, to the id of the document holding each, so a duplicate is found without a scan. */
  readonly numbers = { invoice_number: new Map<string, string>(), creditnote_number: new Map<string, string>() };
  /** The taxes each tax group adds up, by group id (taxes.yml: a group's `taxes`, read with GET /settings/taxgroups/{id}). */
  readonly taxGroups = new Map<string, string[]>();
  /** Exchange rates by currency id, oldest first (currency.yml: `exchange_rate_id`, `effective_date`, `rate`). */
  readonly exchangeRates = new Map<string, BooksRecord[]>();
  /** Request start times inside the current rate window, and the day's count. */
  readonly limits = { recent: [] as number[], inFlight: 0, day: "", usedToday: 0 };
  readonly preferences: OrganizationPreferences = { ...DEFAULT_PREFERENCES };
  private sequence = 100_000;
  private paymentNumber = 0;

  constructor(
    readonly id: string,
    readonly details: { name: string; currencyCode: string; plan: Plan; timeZone: string },
  ) {}

  newId(): string {
    return `${this.id.slice(0, 13)}${String(++this.sequence).padStart(6, "0")}`;
  }

  nextPaymentNumber(): string {
    return String(++this.paymentNumber);
  }

  get baseCurrency(): BooksRecord {
    return [...this.currencies.values()].find((currency) => currency.is_base_currency)!;
  }
}

export type OAuthClient = { clientId: string; clientSecret: string; redirectUris: string[] };
export type Grant = {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  user: string;
  expiresAt: number;
  used: boolean;
  offline: boolean;
};
export type RefreshToken = {
  token: string;
  clientId: string;
  scope: string;
  user: string;
  revoked: boolean;
  requests: number[];
};
export type AccessToken = { token: string; refreshToken: string; scope: string; user: string; expiresAt: number };

export function createZohoStore() {
  return {
    organizations: new Map<string, Organization>(),
    /** Zoho users (by e-mail) and the organizations each belongs to. */
    users: new Map<string, string[]>(),
    clients: new Map<string, OAuthClient>(),
    grants: new Map<string, Grant>(),
    refreshTokens: new Map<string, RefreshToken>(),
    accessTokens: new Map<string, AccessToken>(),
  };
}

export type ZohoStore = ReturnType<typeof createZohoStore>;

const ITEMS = ["Internet 100M", "Internet 1G", "Voice", "Equipment", "Installation", "Discount", "Rounding"];
const ACCOUNTS: [string, string, string][] = [
  ["Sales", "income", "4000"],
  ["Service Revenue", "income", "4010"],
  ["Accounts Receivable", "accounts_receivable", "1100"],
  ["Undeposited Funds", "cash", "1010"],
  ["Petty Cash", "cash", "1020"],
  ["Barclays Current Account", "bank", "1200"],
  ["Stripe Clearing", "bank", "1210"],
  ["VAT Payable", "other_current_liability", "2200"],
];
const TAXES: [string, number][] = [
  ["VAT 20%", 20],
  ["VAT 5% (reduced)", 5],
  ["Zero rated", 0],
  ["VAT 7.5%", 7.5],
];

/** A contact an organization starts with; `currencyCode` for a customer billed in another currency than the base. */
export type SeedContact = { name: string; email: string; company?: string; currencyCode?: string };

function seedOrganization(org: Organization, contacts: SeedContact[]) {
  for (const [code, name, symbol, base] of [
    [org.details.currencyCode, "Pound Sterling", "£", true],
    ["EUR", "Euro", "€", false],
    ["USD", "US Dollar", "$", false],
  ] as const) {
    const id = org.newId();
    org.currencies.set(id, {
      currency_id: id,
      currency_code: code,
      currency_name: name,
      currency_symbol: symbol,
      price_precision: 2,
      currency_format: "1,234,567.89",
      is_base_currency: base,
      exchange_rate: base ? 1 : 0,
      effective_date: "",
    });
  }
  const accountIds = new Map<string, string>();
  for (const [name, type, code] of ACCOUNTS) {
    const id = org.newId();
    accountIds.set(name, id);
    org.accounts.set(id, {
      account_id: id,
      account_name: name,
      account_code: code,
      account_type: type,
      currency_id: org.baseCurrency.currency_id,
      currency_code: org.details.currencyCode,
      description: "",
      is_user_created: true,
      is_system_account: type === "accounts_receivable",
      is_active: true,
      parent_account_id: "",
      created_time: "2024-01-15T09:00:00+0000",
      last_modified_time: "2024-01-15T09:00:00+0000",
    });
  }
  const taxIds: string[] = [];
  for (const [name, percentage] of TAXES) {
    const id = org.newId();
    taxIds.push(id);
    org.taxes.set(id, {
      tax_id: id,
      tax_name: name,
      tax_percentage: percentage,
      tax_type: "tax",
      is_value_added: true,
      is_default_tax: name === "VAT 20%",
      is_editable: true,
    });
  }
  const groupId = org.newId();
  // Listed among the taxes as real answers list groups (`"tax_type": "tax_group"` with the summed percentage, as public
  // payloads of GET /settings/taxes show); its members only through GET /settings/taxgroups/{id} (taxes.yml).
  org.taxes.set(groupId, {
    tax_id: groupId,
    tax_name: "VAT + telecoms levy",
    tax_percentage: 25,
    tax_type: "tax_group",
    is_value_added: true,
    is_default_tax: false,
    is_editable: true,
  });
  org.taxGroups.set(groupId, [taxIds[0]!, taxIds[1]!]);
  for (const name of ITEMS) {
    const id = org.newId();
    // The rounding item carries no tax, so the difference it absorbs adds no tax of its own.
    const tax =
      name === "Rounding"
        ? { tax_id: "", tax_name: "", tax_percentage: 0 }
        : { tax_id: taxIds[0], tax_name: "VAT 20%", tax_percentage: 20 };
    org.items.set(id, {
      item_id: id,
      name,
      status: "active",
      description: "",
      rate: 0,
      unit: "",
      ...tax,
      tax_type: "tax",
      sku: "",
      product_type: "service",
      item_type: "sales",
      account_id: accountIds.get("Sales"),
      account_name: "Sales",
    });
  }
  const currencyOf = (contact: SeedContact) =>
    [...org.currencies.values()].find(
      (currency) => currency.currency_code === (contact.currencyCode ?? org.details.currencyCode),
    )!;
  for (const contact of contacts) {
    const id = org.newId();
    const [first, ...rest] = contact.name.split(" ");
    const personId = org.newId();
    org.contacts.set(id, {
      contact_id: id,
      contact_name: contact.name,
      company_name: contact.company ?? "",
      contact_type: "customer",
      customer_sub_type: contact.company ? "business" : "individual",
      status: "active",
      currency_id: currencyOf(contact).currency_id,
      currency_code: currencyOf(contact).currency_code,
      billing_address: {
        attention: "",
        address: "",
        street2: "",
        city: "",
        state: "",
        zip: "",
        country: "",
        phone: "",
        fax: "",
      },
      contact_persons: [
        {
          contact_person_id: personId,
          first_name: first ?? "",
          last_name: rest.join(" "),
          email: contact.email,
          phone: "",
          mobile: "",
          is_primary_contact: true,
        },
      ],
      primary_contact_id: personId,
      outstanding_receivable_amount: 0,
      unused_credits_receivable_amount: 0,
      created_time: "2025-03-01T10:00:00+0000",
      last_modified_time: "2025-03-01T10:00:00+0000",
    });
  }
  seedExchangeRates(org);
}

// Rates on the first of each month from January 2024 to November 2026, as a person keeping them by hand (or Zoho's feed)
// would: what 1 EUR and 1 USD are worth in pounds.
const RATE_MONTHS = 35;
const RATE_SERIES: Record<string, (month: number) => number> = {
  EUR: (month) => 840_000 + ((month * 7) % 13) * 1_200,
  USD: (month) => 760_000 + ((month * 5) % 11) * 1_500,
};

function seedExchangeRates(org: Organization) {
  for (const currency of org.currencies.values()) {
    const series = RATE_SERIES[String(currency.currency_code)];
    if (currency.is_base_currency || !series) continue;
    const rates = Array.from({ length: RATE_MONTHS }, (_, month): BooksRecord => {
      const effectiveDate = new Date(Date.UTC(2024, month, 1)).toISOString().slice(0, 10);
      return {
        exchange_rate_id: org.newId(),
        currency_id: currency.currency_id,
        currency_code: currency.currency_code,
        effective_date: effectiveDate,
        rate: series(month) / 1_000_000,
      };
    });
    org.exchangeRates.set(String(currency.currency_id), rates);
    Object.assign(currency, { exchange_rate: rates.at(-1)!.rate, effective_date: rates.at(-1)!.effective_date });
  }
}

export type ZohoSeed = {
  contacts?: SeedContact[];
  clients?: OAuthClient[];
  /** The two organizations' ids (19 digits; records take the first 13); Zoho's own style by default. */
  organizationIds?: readonly [string, string];
};

export function seedZoho(store: ZohoStore, options: ZohoSeed) {
  const user = "books-admin@sandbox.example";
  const [ltdId, holdingsId] = options.organizationIds ?? ["2646610000000000001", "3719820000000000001"];
  const organizations = [
    new Organization(ltdId, {
      name: "Demo ISP Ltd",
      currencyCode: "GBP",
      plan: "professional",
      timeZone: "Europe/London",
    }),
    new Organization(holdingsId, {
      name: "Demo ISP Holdings",
      currencyCode: "GBP",
      plan: "free",
      timeZone: "Europe/London",
    }),
  ];
  organizations.forEach((org, index) => {
    seedOrganization(org, index === 0 ? (options.contacts ?? []) : []);
    store.organizations.set(org.id, org);
  });
  store.users.set(
    user,
    organizations.map((org) => org.id),
  );
  for (const client of options.clients ?? []) store.clients.set(client.clientId, client);
}

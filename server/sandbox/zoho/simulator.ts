// A Zoho accounts server and Books API v3 in a fetch-style handler: the router over one store and its resource modules.
import { withNetworkFaults, type NetworkFaults } from "../faults";
import { seededRandom } from "../splynx/random";
import { envelope, invalidValue, zohoError, type BooksRoutes } from "./api";
import { contactRoutes } from "./contacts";
import { creditNoteRoutes } from "./credit-notes";
import { customerPaymentRoutes } from "./customer-payments";
import { invoiceRoutes } from "./invoices";
import { createLimits } from "./limits";
import { createAccountsServer } from "./oauth";
import { OpenApiContract, type Operation, type RequestProblem } from "./openapi";
import { organizationRoutes, organizationSummary } from "./organizations";
import { scopesCover } from "./scopes";
import { settingsRoutes } from "./settings";
import { createZohoStore, seedZoho, type BooksRecord, type OrganizationPreferences, type ZohoSeed } from "./store";
import { recordPage } from "./web";

let contractCache: OpenApiContract | undefined;
// Parsing eleven OpenAPI files takes a moment: once per process is enough.
function sharedContract(): OpenApiContract {
  contractCache ??= new OpenApiContract();
  return contractCache;
}

export type ZohoFaults = NetworkFaults & { latencyMs: number };
const NO_FAULTS: ZohoFaults = { latencyMs: 0, serverErrorRate: 0, dropRate: 0, dropPhase: "before" };

export type ZohoSimulatorOptions = ZohoSeed & {
  seed?: number;
  /** The `accounts-server` value the consent redirect carries. */
  accountsServer: string;
  /** The `api_domain` token responses name. */
  apiDomain: string;
  now?: () => number;
  /** The rate window: Zoho's minute, shortened for tests and benchmarks on a scaled clock. */
  windowMs?: number;
  perWindow?: number;
  /** The daily quota's day, shortened the same way. */
  dayMs?: number;
  tokenThrottle?: { max: number; windowMs: number };
  /** Preferences every seeded organization starts with (each can be changed later with `setPreferences`). */
  preferences?: Partial<OrganizationPreferences>;
  /**
   * Tests: throw when a successful answer of the sync's resources (RESPONSE_CHECKED) does not match its operation's
   * response schema in Zoho's files, so clients are tested against what Zoho documents, not what the simulator sends.
   */
  checkResponses?: boolean;
};

const ROUTES: BooksRoutes = {
  ...organizationRoutes,
  ...settingsRoutes,
  ...contactRoutes,
  ...invoiceRoutes,
  ...creditNoteRoutes,
  ...customerPaymentRoutes,
};
const NOT_AUTHORIZED = "You are not authorized to perform this operation";

// Items, accounts and bank accounts are left out: items.yml types `tax_percentage` as a string ("70%") where the
// simulator sends the tax's number, and which one Books sends is UNVERIFIED.
const RESPONSE_CHECKED = new Set([
  "organizations",
  "contacts",
  "invoices",
  "credit-notes",
  "customer-payments",
  "currency",
  "taxes",
]);

/**
 * Refuses a request its operation's schema or stated limits reject. Zoho's wording for schema failures is not
 * documented, so those name the field and the rule; a value over its Max-length, an e-mail that is not one address and
 * a date not in yyyy-mm-dd get Zoho's invalid-value answer (that Zoho uses it for these three is UNVERIFIED).
 */
function refusal(problems: RequestProblem[]): Response | undefined {
  if (problems.length === 0) return undefined;
  const structural = problems.filter((problem) => !problem.rule);
  if (structural.length > 0)
    return zohoError(
      400,
      2,
      `Invalid value passed for ${structural.map((problem) => `${problem.path}: ${problem.message}`).join("; ")}`,
    );
  return invalidValue(problems[0]!.field!);
}

export function createZohoSimulator(options: ZohoSimulatorOptions) {
  const store = createZohoStore();
  seedZoho(store, options);
  for (const org of store.organizations.values()) Object.assign(org.preferences, options.preferences);
  const contract = sharedContract();
  const now = options.now ?? Date.now;
  const faults: ZohoFaults = { ...NO_FAULTS };
  const faultRandom = seededRandom((options.seed ?? 1) ^ 0x20b0);
  const calls = new Map<string, number>();
  const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
  const limits = createLimits({
    now,
    windowMs: options.windowMs ?? 60_000,
    perWindow: options.perWindow ?? 100,
    dayMs: options.dayMs ?? 86_400_000,
  });
  const accounts = createAccountsServer(store, {
    accountsServer: options.accountsServer,
    apiDomain: options.apiDomain,
    now,
    count,
    tokenThrottle: options.tokenThrottle ?? { max: 10, windowMs: 600_000 },
  });

  async function answer(operation: Operation, response: Response): Promise<Response> {
    if (!options.checkResponses || !RESPONSE_CHECKED.has(operation.file)) return response;
    const problems = contract.checkResponse(operation, response.status, await response.clone().json());
    if (problems.length > 0)
      throw new Error(
        `${operation.method} ${operation.template} answered outside ${operation.responses[String(response.status)] ?? "its documented statuses"}: ${problems.map((problem) => `${problem.path} ${problem.message}`).join("; ")}`,
      );
    return response;
  }

  async function books(request: Request, url: URL, apiPath: string): Promise<Response> {
    const tokenValue = /^Zoho-oauthtoken (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!tokenValue)
      return zohoError(
        401,
        14,
        "The request could not be authenticated as the authentication value you entered is invalid. Enter a valid authentication value and try again.",
      );
    const token = store.accessTokens.get(tokenValue);
    if (!token || token.expiresAt <= now()) return zohoError(401, 57, NOT_AUTHORIZED);
    const userOrgs = store.users.get(token.user) ?? [];
    const params = url.searchParams;
    const method = request.method;

    const operation = contract.operation(method, apiPath);
    // A token without the operation's scope gets the same 57 as a bad token (reference §1.3).
    if (operation && !scopesCover(token.scope, operation.scopes)) return zohoError(401, 57, NOT_AUTHORIZED);

    if (apiPath === "/organizations" && method === "GET") {
      count("GET /organizations");
      return answer(
        operation!,
        envelope(200, {
          code: 0,
          message: "success",
          organizations: userOrgs.map((id) => organizationSummary(store.organizations.get(id)!)),
        }),
      );
    }
    const organizationId = params.get("organization_id") ?? "";
    const org = store.organizations.get(organizationId);
    // A removed or foreign organization: Zoho's own code for it (errors.ts cites it); the HTTP status is UNVERIFIED.
    if (!org || !userOrgs.includes(org.id))
      return zohoError(400, 6041, `This user is not associated with the CompanyID/CompanyName:${organizationId}.`);

    if (!operation) return zohoError(404, 5, "Invalid URL Passed");
    count(`${method} ${operation.template}`);
    let body: BooksRecord = {};
    if (method === "POST" || method === "PUT") {
      const text = await request.text();
      try {
        body = text ? (JSON.parse(text) as BooksRecord) : {};
      } catch {
        return zohoError(400, 1038, "JSON is not well formed");
      }
    }
    const bodyProblems = method === "POST" || method === "PUT" ? contract.check(operation, body) : [];
    const refused = refusal([...contract.checkQuery(operation, params), ...bodyProblems]);
    if (refused) return refused;

    const gate = limits.admit(org);
    if (gate instanceof Response) return gate;
    try {
      // Latency stands for Zoho's processing time, so the call holds its in-flight slot meanwhile.
      if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      const route = ROUTES[`${method} ${operation.template}`];
      const id = apiPath.split("/")[apiPath.startsWith("/settings/") ? 3 : 2] ?? "";
      const response = route
        ? route({ org, request, id, params, body, now: now() })
        : zohoError(405, 37, "The HTTP method is not allowed for the requested resource");
      for (const [name, value] of Object.entries(gate.headers)) response.headers.set(name, value);
      return answer(operation, response);
    } finally {
      gate.release();
    }
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const answered = (await accounts.handle(request, path)) ?? recordPage(store, path);
    if (answered) return answered;
    const marker = path.indexOf("/books/v3");
    if (marker < 0) return zohoError(404, 5, "Invalid URL Passed");
    return withNetworkFaults(
      faults,
      faultRandom,
      () => zohoError(500, 1000, "Internal error"),
      () => books(request, url, path.slice(marker + "/books/v3".length) || "/"),
    );
  }

  return {
    handle,
    store,
    faults,
    calls,
    peaks: limits.peaks,
    resetFaults: () => Object.assign(faults, NO_FAULTS),
    /** Spends an organization's daily calls, as other integrations sharing its quota would. */
    spendDailyQuota: (organizationId: string, calls: number) =>
      limits.spendDailyQuota(store.organizations.get(organizationId)!, calls),
    /** Changes an organization's preferences, as its admin would under Settings → Preferences. */
    setPreferences: (organizationId: string, preferences: Partial<OrganizationPreferences>) =>
      Object.assign(store.organizations.get(organizationId)!.preferences, preferences),
    /** Deletes an organization, as its owner closing it in Zoho would: its users lose it with its data. */
    removeOrganization: (organizationId: string) => {
      store.organizations.delete(organizationId);
      for (const [user, organizations] of store.users)
        store.users.set(
          user,
          organizations.filter((id) => id !== organizationId),
        );
    },
    /** Registers an OAuth client, as creating one in Zoho's API console would. */
    registerClient: (client: { clientId: string; clientSecret: string; redirectUris: string[] }) =>
      store.clients.set(client.clientId, client),
  };
}

export type ZohoSimulator = ReturnType<typeof createZohoSimulator>;

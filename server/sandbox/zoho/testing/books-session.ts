// A Zoho simulator with a consented user, for tests of its Books resources: `call(method, path, body)` in one line.
import { createZohoSimulator, type ZohoSimulatorOptions } from "../simulator";

export const ORG = "2646610000000000001";
export const FREE_ORG = "3719820000000000001";
const ACCOUNTS = "https://accounts.sim.test";
const API = "https://api.sim.test";
const CLIENT = { clientId: "client-1", clientSecret: "secret-1", redirectUris: ["https://app.test/callback"] };

// biome-ignore lint/suspicious/noExplicitAny: tests read Zoho's JSON by path, the way assertions on a wire format do.
export type ZohoJson = Record<string, any>;
export type BooksAnswer = { status: number; body: ZohoJson };

/**
 * A simulator and an access token obtained through its consent page and token endpoint; every successful answer is
 * checked against its operation's response schema in Zoho's files.
 */
export async function booksSession(options: Partial<ZohoSimulatorOptions> = {}) {
  const zoho = createZohoSimulator({
    accountsServer: ACCOUNTS,
    apiDomain: API,
    clients: [CLIENT],
    checkResponses: true,
    ...options,
  });
  const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
  const authorize = `${ACCOUNTS}/oauth/v2/auth?${form({ client_id: CLIENT.clientId, redirect_uri: CLIENT.redirectUris[0]!, scope: "ZohoBooks.fullaccess.all", response_type: "code", access_type: "offline" })}`;
  const consent = await zoho.handle(
    new Request(authorize, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ decision: "accept", user: "books-admin@sandbox.example" }),
    }),
  );
  const code = new URL(consent.headers.get("location")!).searchParams.get("code")!;
  const exchange = {
    grant_type: "authorization_code",
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    redirect_uri: CLIENT.redirectUris[0]!,
    code,
  };
  const { access_token: token } = (await (
    await zoho.handle(new Request(`${ACCOUNTS}/oauth/v2/token?${form(exchange)}`, { method: "POST" }))
  ).json()) as { access_token: string };

  /** One Books call; `path` may carry its own query, to which organization_id is added. */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    options: { org?: string; headers?: Record<string, string> } = {},
  ): Promise<BooksAnswer> {
    const url = `${API}/books/v3${path}${path.includes("?") ? "&" : "?"}organization_id=${options.org ?? ORG}`;
    const headers = {
      authorization: `Zoho-oauthtoken ${token}`,
      "content-type": "application/json",
      ...options.headers,
    };
    const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    const response = await zoho.handle(new Request(url, init));
    return { status: response.status, body: (await response.json()) as ZohoJson };
  }

  return { zoho, call };
}

// A Splynx API v2.0 server in a fetch-style handler: the router over one store, with faults and call counts.
import { withNetworkFaults, type NetworkFaults } from "../faults";
import { createAuth, errorBody } from "./auth";
import { list, optionsFor, type ListOptions } from "./listing";
import { seededRandom } from "./random";
import { RESOURCES, type Method } from "./resources";
import { seedStore, type SeedOptions } from "./seed";
import { createStore, type ApiKey, type Collection, type WireRecord } from "./store";

export type SplynxFaults = NetworkFaults & {
  /** Added to every answer. */
  latencyMs: number;
  /** Share of listed records sent with a broken field. */
  malformedRate: number;
  /** Every access token is answered as expired. */
  expireTokens: boolean;
};

const NO_FAULTS: SplynxFaults = {
  latencyMs: 0,
  serverErrorRate: 0,
  dropRate: 0,
  dropPhase: "before",
  malformedRate: 0,
  expireTokens: false,
};

export type SimulatorOptions = SeedOptions &
  ListOptions & { apiKeys?: Omit<ApiKey, "lastNonce">[]; now?: () => Date; accessTokenSeconds?: number };

export function createSplynxSimulator(options: SimulatorOptions) {
  const store = createStore();
  seedStore(store, options);
  const keys = options.apiKeys ?? [
    { key: "sandbox-key", secret: "sandbox-secret", title: "Sandbox", checkNonce: true, unsecureAccess: false },
  ];
  for (const key of keys) store.apiKeys.set(key.key, { ...key, lastNonce: 0n });
  const now = options.now ?? (() => new Date());
  const faults: SplynxFaults = { ...NO_FAULTS };
  const faultRandom = seededRandom(options.seed ^ 0x5eed);
  const calls = new Map<string, number>();
  /** Server configuration a test may change between requests. */
  const config: ListOptions = { maxPageSize: options.maxPageSize };

  function count(method: string, template: string) {
    const key = `${method} ${template}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
  }

  const auth = createAuth(store, {
    now,
    accessTokenSeconds: options.accessTokenSeconds ?? 1800,
    tokensExpired: () => faults.expireTokens,
    count,
  });

  function malformed(record: WireRecord): WireRecord {
    if (faults.malformedRate <= 0 || !faultRandom.chance(faults.malformedRate)) return record;
    const broken = { ...record };
    const field =
      ["total", "amount", "customer_id", "name", "date_created"].find((candidate) => candidate in broken) ?? "id";
    broken[field] = field === "name" ? { unexpected: true } : "not-a-number";
    return broken;
  }

  async function resourceEndpoint(
    request: Request,
    apiKey: ApiKey,
    resourcePath: string,
    idText: string | undefined,
    search: URLSearchParams,
  ): Promise<Response> {
    const resource = RESOURCES[resourcePath]!;
    const collection = store[resource.collection] as Collection;
    const method = (request.method === "HEAD" ? "GET" : request.method) as Method;
    count(request.method, idText ? `${resourcePath}/{id}` : resourcePath);

    if (request.method === "OPTIONS") return Response.json(optionsFor(resourcePath, collection.all()[0]));
    if (
      !resource.methods.includes(method) ||
      (!idText && (method === "PUT" || method === "DELETE")) ||
      (idText && method === "POST")
    ) {
      return errorBody(405, "METHOD_DISABLED", "Method is disabled!");
    }
    const allowed = apiKey.permissions?.[resourcePath];
    if (apiKey.permissions && !allowed?.includes(method))
      return errorBody(403, "FORBIDDEN", "You do not have permission to do this action");

    if (request.method === "HEAD") {
      // A count of every match: limit, offset and the page cap shape answers, not totals.
      const rows = list(collection, search, { paged: false });
      if (rows instanceof Response) return rows;
      return new Response(null, {
        status: 204,
        headers: { "X-total-count": String(rows.length), "Access-Control-Expose-Headers": "X-total-count" },
      });
    }
    if (method === "GET" && !idText) {
      const rows = list(collection, search, { ...config, paged: true });
      return rows instanceof Response ? rows : Response.json(rows.map(malformed));
    }
    if (method === "POST") {
      const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
      if (!body || typeof body !== "object" || Array.isArray(body))
        return Response.json([{ field: "", message: "Request body must be a JSON object" }], { status: 422 });
      const errors = resource.validate?.(body, store) ?? [];
      if (errors.length > 0) return Response.json(errors, { status: 422 });
      const record = collection.insert({ ...resource.defaults?.(body, now()), ...body, id: undefined } as Omit<
        WireRecord,
        "id"
      >);
      resource.afterCreate?.(record, store);
      return Response.json({ id: record.id }, { status: 201 });
    }
    const record = /^\d+$/.test(idText ?? "") ? collection.get(Number(idText)) : undefined;
    if (!record) return errorBody(404, "NOT_FOUND", "Entity not found");
    if (method === "GET") return Response.json(record);
    if (method === "DELETE") {
      collection.remove(record.id);
      return new Response(null, { status: 204 });
    }
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object")
      return Response.json([{ field: "", message: "Request body must be a JSON object" }], { status: 422 });
    const errors = resource.validate?.(body, store, record) ?? [];
    if (errors.length > 0) return Response.json(errors, { status: 422 });
    Object.assign(record, body, { id: record.id });
    return new Response(null, { status: 202 });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const marker = url.pathname.indexOf("/api/2.0/");
    if (marker < 0) return errorBody(404, "NOT_FOUND", "Not found");
    const apiPath = decodeURIComponent(url.pathname.slice(marker + "/api/2.0/".length)).replace(/\/+$/, "");

    if (apiPath === "admin/api/check") {
      count("GET", "admin/api/check");
      if (url.searchParams.get("checkAuth")) {
        const apiKey = auth.authenticate(request);
        if (apiKey instanceof Response) return apiKey;
      }
      return Response.json({ status: "ok", message: "API is valid", same_server: 0 });
    }
    if (apiPath === "admin/auth/tokens" || apiPath.startsWith("admin/auth/tokens/"))
      return auth.tokenEndpoint(request, apiPath.slice("admin/auth/tokens".length).replace(/^\//, ""));

    const resourcePath = Object.keys(RESOURCES).find(
      (candidate) => apiPath === candidate || apiPath.startsWith(`${candidate}/`),
    );
    if (!resourcePath) {
      count(request.method, apiPath);
      return errorBody(404, "NOT_FOUND", "Page not found");
    }
    const apiKey = auth.authenticate(request);
    if (apiKey instanceof Response) {
      count(request.method, resourcePath);
      return apiKey;
    }
    const idText = apiPath.slice(resourcePath.length + 1) || undefined;
    return resourceEndpoint(request, apiKey, resourcePath, idText, url.searchParams);
  }

  async function handle(request: Request): Promise<Response> {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    return withNetworkFaults(
      faults,
      faultRandom,
      () => errorBody(500, "SERVER_ERROR", "Internal server error"),
      () => route(request),
    );
  }

  return {
    handle,
    store,
    faults,
    calls,
    /** Total calls counted, optionally only those whose "METHOD path" starts with `prefix`. */
    callCount(prefix = "") {
      let total = 0;
      for (const [key, value] of calls) if (key.startsWith(prefix)) total += value;
      return total;
    },
    config,
    resetFaults() {
      Object.assign(faults, NO_FAULTS);
    },
  };
}

export type SplynxSimulator = ReturnType<typeof createSplynxSimulator>;

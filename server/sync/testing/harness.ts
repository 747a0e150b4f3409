// A tenant's sync against in-process simulators on a scaled clock, for engine tests and benchmarks.
import type { Db } from "@/db/client";
import type { PaymentsImportMode, RunCounts, SyncEntity } from "@/db/schema";
import { createRun, finishRun } from "@/db/queries/runs";
import { makePerson, makeTenant } from "@/db/testing/fixtures";
import { inProcessFetch } from "@/server/sandbox/http-adapter";
import { createSplynxSimulator } from "@/server/sandbox/splynx/simulator";
import { createZohoSimulator } from "@/server/sandbox/zoho/simulator";
import { SplynxClient } from "@/server/splynx/client";
import { processNonceSource } from "@/server/splynx/nonces";
import { ZohoBooksClient } from "@/server/zoho/books";
import { marginFor, ZohoLimiter, ZOHO_LIMITS } from "@/server/zoho/limiter";
import { exchangeCode } from "@/server/zoho/oauth";
import { finishEntity, PageStop, RunStop, syncPage, type SyncContext } from "../engine";
import type { CrashPoint } from "../entity";
import { readSettings, type Settings } from "../settings";
import { RUN_STEP, type StepLimits } from "../read-ahead";
import { mapSuggestions } from "./mapping";

export const ORGANIZATION = "2646610000000000001";

export async function syncHarness(
  db: Db,
  options: {
    customers: number;
    invoices?: number;
    windowMs?: number;
    /** The limiter's margin on the window; production's share of it (1 s of 60) unless said. */
    marginMs?: number;
    settings?: unknown;
    seed?: number;
  },
) {
  const windowMs = options.windowMs ?? 200;
  const marginMs = options.marginMs ?? marginFor(windowMs);
  const splynx = createSplynxSimulator({
    seed: options.seed ?? 5,
    customers: options.customers,
    invoices: options.invoices ?? 0,
  });
  // Every answer the engine reads is checked against the response schemas of Zoho's OpenAPI files.
  const zoho = createZohoSimulator({
    accountsServer: "http://zoho.test",
    apiDomain: "http://zoho.test",
    windowMs,
    clients: [{ clientId: "c", clientSecret: "s", redirectUris: [] }],
    checkResponses: true,
  });
  const simulatorFetch = inProcessFetch(zoho.handle);
  /** Zoho refusals a test sets for requests it picks (a record Zoho will not take), answered before the simulator. */
  const refusals: ((request: Request) => Promise<Response | null>)[] = [];
  const zohoFetch: typeof fetch = async (input, init) => {
    for (const refuse of refusals) {
      const answer = await refuse(new Request(input, init));
      if (answer) return answer;
    }
    return simulatorFetch(input, init);
  };
  const consent = await zoho.handle(
    new Request("http://zoho.test/oauth/v2/auth", {
      method: "POST",
      body: new URLSearchParams({
        client_id: "c",
        redirect_uri: "http://app/cb",
        scope: "ZohoBooks.fullaccess.all",
        access_type: "offline",
        decision: "accept",
        user: "books-admin@sandbox.example",
      }),
    }),
  );
  const grant = await exchangeCode({
    fetch: zohoFetch,
    accountsServer: "http://zoho.test",
    clientId: "c",
    clientSecret: "s",
    code: new URL(consent.headers.get("location")!).searchParams.get("code")!,
    redirectUri: "http://app/cb",
  });
  const owner = await makePerson(db, "sync-owner");
  const tenant = await makeTenant(db, owner, "sync");
  let settings: Settings = readSettings(options.settings);

  // The currency new contacts and documents get, as syncContextFor finds it in the loaded reference data.
  const currencyIdOf = (code: string | null, organizationId: string) =>
    code
      ? String(
          [...zoho.store.organizations.get(organizationId)!.currencies.values()].find(
            (currency) => currency.currency_code === code,
          )!.currency_id,
        )
      : null;
  type ContextOptions = {
    retry?: boolean;
    crashPoint?: (point: CrashPoint) => void;
    organizationId?: string;
    claimMs?: number;
    paymentsImportMode?: PaymentsImportMode;
    /** How far each step goes: the run's own steps unless said. */
    step?: StepLimits;
  };
  function context(runId: string, options: ContextOptions = {}): SyncContext {
    const limiter = new ZohoLimiter(db, {
      ...ZOHO_LIMITS,
      windowMs,
      marginMs,
      concurrency: 10,
    });
    return {
      db,
      tenantId: tenant.id,
      runId,
      splynx: new SplynxClient({
        baseUrl: "http://splynx.test",
        apiKey: "sandbox-key",
        apiSecret: "sandbox-secret",
        authMode: "signature",
        nonces: processNonceSource(),
        fetch: inProcessFetch(splynx.handle),
        backoffMs: 1,
      }),
      books: new ZohoBooksClient({
        apiDomain: "http://zoho.test",
        organizationId: options.organizationId ?? ORGANIZATION,
        accessToken: async () => grant.accessToken,
        limiter,
        fetch: zohoFetch,
        backoffMs: 2,
        rateLimitPauseMs: windowMs,
        timeoutMs: 2_000,
      }),
      settings,
      organizationId: options.organizationId ?? ORGANIZATION,
      currencyId: currencyIdOf(settings.general.currencyCode, options.organizationId ?? ORGANIZATION),
      claimMs: options.claimMs,
      retry: options.retry ?? false,
      paymentsImportMode: options.paymentsImportMode ?? "new",
      crashPoint: options.crashPoint,
    };
  }

  const mapAll = () => mapSuggestions(db, tenant.id, context("mapping"));
  type RunOptions = ContextOptions & {
    /** After the last step, the entity's finish as the run function does it (the sweep of records gone, the count). */
    finish?: boolean;
    /** Reads only what changed in Splynx after this instant, as a scheduled run between full sweeps does. */
    changedSince?: string;
  };

  /** A whole run of one entity, step after step, as the run function does it; returns the run's totals and steps. */
  async function runEntity(entity: SyncEntity, pageSize = 200, options: RunOptions = {}) {
    const run = await createRun(db, {
      tenantId: tenant.id,
      trigger: options.retry ? "retry" : "manual",
      requestedBy: owner.id,
      entities: [entity],
    });
    const totals = { created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0, zohoCalls: 0, records: 0 };
    const add = (page: { counts: RunCounts; zohoCalls: number; records: number }) => {
      for (const key of Object.keys(page.counts) as (keyof RunCounts)[]) totals[key] += page.counts[key];
      totals.zohoCalls += page.zohoCalls;
      totals.records += page.records;
    };
    const ctx = context(run.id, options);
    if (options.changedSince) ctx.changedSince = { [entity]: options.changedSince };
    let stopped: RunStop | undefined;
    let steps = 0;
    try {
      for (let after = 0; ; ) {
        const page = await syncPage(ctx, entity, { after, pageSize, step: options.step ?? RUN_STEP });
        steps++;
        add(page);
        if (page.done) break;
        after = page.lastId!;
      }
      if (options.finish) await finishEntity(ctx, entity, totals.records);
    } catch (error) {
      if (!(error instanceof RunStop)) throw error;
      if (error instanceof PageStop) add(error.partial);
      stopped = error;
    }
    await finishRun(db, {
      tenantId: tenant.id,
      runId: run.id,
      status: stopped?.status ?? "succeeded",
      error: stopped?.message,
    });
    return { ...totals, steps, runId: run.id, stopped };
  }
  const runCustomers = (pageSize = 200, options: ContextOptions = {}) => runEntity("customer", pageSize, options);

  return {
    tenant,
    splynx,
    zoho,
    context,
    runCustomers,
    runEntity,
    mapSuggestions: mapAll,
    refusals,
    setSettings: (values: unknown) => (settings = readSettings(values)),
    /** The Zoho contacts of an organization (the one the tenant uses unless named). */
    contacts: (organizationId = ORGANIZATION) => [...zoho.store.organizations.get(organizationId)!.contacts.values()],
  };
}

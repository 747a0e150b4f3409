// A sync context whose clients reach the simulators over HTTP, so several processes can share them; the tenant's saved
// settings apply, as in production's context.
import type { Db } from "@/db/client";
import { getSettingsRow } from "@/db/queries/sync";
import { SplynxClient } from "@/server/splynx/client";
import { processNonceSource } from "@/server/splynx/nonces";
import { ZohoBooksClient } from "@/server/zoho/books";
import { ZohoLimiter, ZOHO_LIMITS } from "@/server/zoho/limiter";
import type { CrashPoint, SyncContext } from "../entity";
import { readSettings } from "../settings";
import { ORGANIZATION } from "./harness";

export async function httpSyncContext(
  db: Db,
  input: {
    tenantId: string;
    runId: string;
    splynxUrl: string;
    zohoUrl: string;
    token: string;
    claimMs?: number;
    /** How long a call slot outlives a worker that died holding it. */
    leaseMs?: number;
    crashPoint?: (point: CrashPoint) => void;
    fetch?: typeof fetch;
  },
): Promise<SyncContext> {
  return {
    db,
    tenantId: input.tenantId,
    runId: input.runId,
    splynx: new SplynxClient({
      baseUrl: input.splynxUrl,
      apiKey: "sandbox-key",
      apiSecret: "sandbox-secret",
      authMode: "signature",
      nonces: processNonceSource(),
      backoffMs: 1,
    }),
    books: new ZohoBooksClient({
      apiDomain: input.zohoUrl,
      organizationId: ORGANIZATION,
      accessToken: async () => input.token,
      limiter: new ZohoLimiter(db, {
        ...ZOHO_LIMITS,
        windowMs: 200,
        marginMs: 10,
        concurrency: 10,
        leaseMs: input.leaseMs ?? ZOHO_LIMITS.leaseMs,
      }),
      backoffMs: 2,
      rateLimitPauseMs: 200,
      fetch: input.fetch,
    }),
    settings: readSettings(await getSettingsRow(db, input.tenantId)),
    organizationId: ORGANIZATION,
    currencyId: null,
    retry: false,
    paymentsImportMode: "new",
    claimMs: input.claimMs,
    crashPoint: input.crashPoint,
  };
}

// Real and simulated services never meet: a real Splynx's customers must not land in the sandbox Zoho Books (whose
// pages any signed-in person can open), nor simulated records in a real Zoho organization.
import type { Db } from "@/db/client";
import { getSplynxConnection } from "@/db/queries/splynx";
import { getZohoConnection } from "@/db/queries/zoho";
import { DomainError } from "@/server/errors";
import { isSandboxUrl } from "@/server/sandbox";

export const SANDBOX_REGION = "SANDBOX";

/**
 * Refuses a Splynx URL or a Zoho region that would pair a sandbox with a real service; the side not given is read from
 * the tenant's stored connection.
 */
export async function refuseMixedSandbox(
  db: Db,
  input: { tenantId: string; splynxBaseUrl?: string; zohoRegion?: string },
): Promise<void> {
  const splynxUrl = input.splynxBaseUrl ?? (await getSplynxConnection(db, { tenantId: input.tenantId }))?.baseUrl;
  const zohoRegion = input.zohoRegion ?? (await getZohoConnection(db, { tenantId: input.tenantId }))?.region;
  if (splynxUrl === undefined || zohoRegion === undefined) return;
  const splynxSandbox = isSandboxUrl(splynxUrl);
  if (splynxSandbox === (zohoRegion === SANDBOX_REGION)) return;
  const field = input.splynxBaseUrl !== undefined ? "baseUrl" : "region";
  throw new DomainError(
    "BAD_REQUEST",
    splynxSandbox
      ? "The sandbox Splynx holds simulated customers: connect it only to the sandbox Zoho Books, not to a real " +
          "organization (disconnect Zoho Books first, or use a real Splynx)."
      : "A real Splynx's customers must not go to the sandbox Zoho Books, which is simulated: connect a real Zoho " +
          "region (disconnect the sandbox Zoho Books first, or use the sandbox Splynx).",
    field,
  );
}

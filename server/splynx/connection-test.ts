// "Test connection": reachability, authentication, and each permission the sync needs, each named when missing.
import type { ConnectionCheck } from "@/db/schema";
import type { SplynxClient } from "./client";
import { SplynxError } from "./errors";
import { encodeListQuery } from "./query";
import { RESOURCES, type ResourceName } from "./records";

const READS: [ResourceName, string][] = [
  ["customers", "Read customers"],
  ["invoices", "Read invoices"],
  ["creditNotes", "Read credit notes"],
  ["payments", "Read payments"],
  ["paymentMethods", "Read payment methods"],
  ["transactionCategories", "Read transaction categories"],
  ["taxes", "Read taxes"],
  ["partners", "Read partners"],
];

const explainFailure = (error: unknown) => (error instanceof SplynxError ? error.message : String(error));

export async function testSplynxConnection(client: SplynxClient): Promise<{ ok: boolean; checks: ConnectionCheck[] }> {
  const checks: ConnectionCheck[] = [];
  try {
    await client.check();
    checks.push({ id: "reachable", label: "Splynx answers at this URL", ok: true });
  } catch (error) {
    checks.push({ id: "reachable", label: "Splynx answers at this URL", ok: false, detail: explainFailure(error) });
    return { ok: false, checks };
  }

  const reads: ConnectionCheck[] = [];
  let authFailure: string | undefined;
  for (const [resource, label] of READS) {
    try {
      await client.probe("GET", RESOURCES[resource].path, { query: encodeListQuery({ limit: 1 }) });
      reads.push({ id: `read:${resource}`, label, ok: true });
    } catch (error) {
      if (error instanceof SplynxError && error.kind === "auth") authFailure = error.message;
      reads.push({
        id: `read:${resource}`,
        label,
        ok: false,
        detail:
          error instanceof SplynxError && error.kind === "permission"
            ? "The API key lacks this permission."
            : explainFailure(error),
      });
    }
    if (authFailure) break;
  }
  checks.push({
    id: "authenticated",
    label: "The API key and secret are accepted",
    ok: !authFailure,
    detail: authFailure,
  });
  if (authFailure) return { ok: false, checks };
  checks.push(...reads);

  // An empty payment is refused by validation (422) when the key may create payments, and by 403 when it may not: nothing is written.
  try {
    await client.probe("POST", RESOURCES.payments.path, { body: {} });
    checks.push({
      id: "write:payments",
      label: "Create payments",
      ok: false,
      detail: "Splynx accepted an empty payment; check the server.",
    });
  } catch (error) {
    const allowed = error instanceof SplynxError && error.kind === "validation";
    checks.push({
      id: "write:payments",
      label: "Create payments",
      ok: allowed,
      detail: allowed
        ? undefined
        : error instanceof SplynxError && error.kind === "permission"
          ? "The API key lacks this permission."
          : explainFailure(error),
    });
  }
  return { ok: checks.every((check) => check.ok), checks };
}

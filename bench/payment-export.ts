// Payments both ways through the engine, the shared limiter and PostgreSQL, against both simulators on a scaled clock:
// the export of every Splynx payment (customers and invoices exported first, as a run in order does), its unchanged
// re-run, then the import of payments recorded in Zoho itself on the unpaid invoices, and its re-run. Zoho calls are
// counted by path, per payment, against the API's minimum.
// Run: node --import tsx bench/payment-export.ts [invoices] [window ms] [customers]
import { openPglite, openPostgres, type Database } from "../db/client";
import type { PaymentsImportMode, SyncEntity } from "../db/schema";
import { startThrowawayPostgres } from "../scripts/throwaway-postgres.mjs";
import { PLAN_LIMITS } from "../server/sandbox/zoho/store";
import { ORGANIZATION, syncHarness } from "../server/sync/testing/harness";
import { depositToUndepositedFunds, recordOnInvoice } from "../server/sync/testing/payments";

const invoices = Number(process.argv[2] ?? 2_000);
const windowMs = Number(process.argv[3] ?? 200);
const customers = Number(process.argv[4] ?? Math.ceil(invoices / 10));
// This measures calls and pace under the per-minute limit, so the plan's daily quota is put out of reach.
PLAN_LIMITS.professional.daily = 10_000_000;
// Splynx's seeded methods 1–3 are exported; 7 ("Zoho Books") is the accounting method imported payments get.
const SETTINGS = {
  paymentsExport: { enabled: true, allowedMethodIds: ["1", "2", "3"], defaultPaymentMode: "banktransfer" },
  paymentsImport: { enabled: true, accountingMethodId: "7" },
};

async function openDatabase(): Promise<{ database: Database; engine: string; stop?: () => void }> {
  const postgres = await startThrowawayPostgres().catch(() => null);
  if (!postgres) return { database: await openPglite("memory://"), engine: "PGlite" };
  return { database: await openPostgres(postgres.url), engine: "PostgreSQL (throwaway cluster)", stop: postgres.stop };
}

const listed = (counts: Map<string, number>) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => `${key} ${value}`)
    .join(", ") || "none";

const { database, engine, stop } = await openDatabase();
try {
  const harness = await syncHarness(database.db, { customers, invoices, windowMs, settings: SETTINGS });
  await harness.mapSuggestions();
  const org = harness.zoho.store.organizations.get(ORGANIZATION)!;
  await depositToUndepositedFunds(database.db, harness.tenant.id, org);

  /** A whole run of one entity, with its Zoho calls by path and its wall time. */
  async function measured(entity: SyncEntity, paymentsImportMode: PaymentsImportMode = "new") {
    const before = new Map(harness.zoho.calls);
    const started = performance.now();
    const run = await harness.runEntity(entity, 200, { paymentsImportMode });
    const seconds = (performance.now() - started) / 1000;
    const byPath = new Map(
      [...harness.zoho.calls]
        .map(([key, value]) => [key, value - (before.get(key) ?? 0)] as const)
        .filter(([, calls]) => calls > 0),
    );
    if (run.failed > 0 || run.stopped)
      throw new Error(`The ${entity} run did not finish cleanly: ${JSON.stringify(run)}`);
    return { run, seconds, byPath };
  }
  function report(title: string, per: string, records: number, step: Awaited<ReturnType<typeof measured>>) {
    const { created, skipped, unchanged, zohoCalls } = step.run;
    console.log(
      `${title}: created ${created}, skipped ${skipped}, unchanged ${unchanged}, ${step.seconds.toFixed(1)} s`,
    );
    const each = (zohoCalls / Math.max(records, 1)).toFixed(3);
    console.log(`  Zoho calls ${zohoCalls} = ${each} per ${per}: ${listed(step.byPath)}`);
  }

  const payments = harness.splynx.store.payments.all();
  const onInvoice = payments.filter((payment) => payment.invoice_id).length;
  console.log(`database: ${engine}; Zoho window ${windowMs} ms (100 calls per window)`);
  console.log(
    `Splynx: ${customers} customers, ${invoices} invoices, ${payments.length} payments (${onInvoice} on one)`,
  );
  await measured("customer");
  await measured("invoice");

  const exported = await measured("payment");
  report("payments export", "exported payment", exported.run.created, exported);
  console.log(`  the API's minimum: 1 call per payment (its create, applied to its invoice): ${exported.run.created}`);
  report("payments export, unchanged re-run", "payment", payments.length, await measured("payment"));

  // Someone records a payment in Zoho on each invoice that is still open on both sides.
  const books = harness.context("zoho-user").books;
  let recorded = 0;
  for (const invoice of org.invoices.values()) {
    const splynx = harness.splynx.store.invoices.all().find((row) => row.number === invoice.invoice_number);
    if (splynx?.status !== "not_paid" || Number(invoice.balance) <= 0) continue;
    const amount = Math.min(Number(invoice.balance), Number(splynx.due));
    if (amount <= 0) continue;
    await recordOnInvoice(books, invoice, amount);
    recorded++;
  }
  console.log(`recorded in Zoho: ${recorded} payments on open invoices (Zoho holds ${org.payments.size} in all)`);
  const imported = await measured("payment_import");
  report("payments import (new)", "imported payment", imported.run.created, imported);
  const lists = Math.ceil(org.payments.size / 200);
  console.log(`  the API's minimum: ${lists} list pages, and 1 read per imported payment for its invoices`);
  report("payments import, re-run (new)", "payment in Zoho", org.payments.size, await measured("payment_import"));
  report(
    "payments import, re-run (all)",
    "payment in Zoho",
    org.payments.size,
    await measured("payment_import", "all"),
  );
  report("payments export after the import", "payment", payments.length, await measured("payment"));
} finally {
  await database.close();
  stop?.();
}

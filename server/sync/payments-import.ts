// Payments, Zoho → Splynx (SPEC §6.4): a Zoho customer payment on one linked, unpaid invoice becomes a Splynx payment
// on that invoice with the accounting payment method (which the export never sends back: the loop guard), exactly once,
// and goes into the period's Splynx payment statement.
//
// Import links (entity "payment_import") are keyed by the Zoho payment: splynxId = zohoId = the Zoho payment id (the
// import has no Splynx id before it writes). The Splynx payment and statement ids are kept in the link's details;
// the fingerprint is when Zoho last recorded or changed the payment (ISO, UTC), "deferred" for a future-dated one.
// The "New payments" cursor is the latest of those fingerprints among links written before the run began, less an
// overlap: it follows when Zoho changed a payment, never its date, so a future-dated payment moves nothing.
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import {
  addEntries,
  claimLink,
  linksFor,
  recordIntent,
  writeLinkWithEntry,
  type Link,
  type LinkWrite,
} from "@/db/queries/sync";
import { syncLinks, syncRuns, type LinkDetails, type PaymentsImportMode } from "@/db/schema";
import { add, compare } from "@/server/money";
import { SplynxError } from "@/server/splynx/errors";
import type { ZohoRecord } from "@/server/zoho/books";
import { ZohoError } from "@/server/zoho/errors";
import type { SyncContext } from "./entity";
import { beat, keepQuotaReserve, PageTally, type EntityFlow } from "./flow";
import { retryAfterFailures, RunStop, stopFor } from "./record";

export const IMPORT_ENTITY = "payment_import" as const;
/** A payment Zoho changed up to this long before the newest one handled is read again: clocks and same-second writes. */
export const CURSOR_OVERLAP_MS = 60 * 60_000;
const DEFERRED = "deferred";
const PER_PAGE = 200;
const CLAIM_MS = 10 * 60_000;

type ImportDetails = LinkDetails;

/** What a Splynx payment is made of, stored as the intent before it is sent. */
type Plan = {
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  amount: string;
  date: string;
  number: string;
  statementId: string;
};
type Decision = { write: Omit<Plan, "statementId"> } | { skip: string };

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const money = (value: unknown) => add([String(value ?? "0")], 2);

/** Zoho's `2025-01-02T03:04:05+0100` as an instant that sorts as text. */
export function zohoInstant(value: unknown): string | null {
  const text = String(value ?? "").replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Today in the tenant's time zone, as YYYY-MM-DD. */
export const todayIn = (timeZone: string, now = new Date()) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

type Page = {
  runStart: Date;
  today: string;
  /** Zoho payment id → the Splynx payment the export made it from. */
  exported: Map<string, string>;
  /** What pending export creates sent (reference, customer, amount, date), whose Zoho id is not known yet. */
  exportIntents: Record<string, string>[];
  links: Map<string, Link>;
};

type Step = { context: SyncContext; page: Page; mode: PaymentsImportMode; tally: PageTally };

const tenantLinks = (context: SyncContext) =>
  and(eq(syncLinks.tenantId, context.tenantId), eq(syncLinks.organizationId, context.organizationId));

async function runStartOf(context: SyncContext): Promise<Date> {
  const [run] = await context.db
    .select({ createdAt: syncRuns.createdAt })
    .from(syncRuns)
    .where(and(eq(syncRuns.tenantId, context.tenantId), eq(syncRuns.id, context.runId)));
  return run?.createdAt ?? new Date();
}

/** The "New payments" cursor: Zoho changes from this instant on are read. Null when nothing was imported yet. */
export async function importCursor(context: SyncContext, runStart: Date): Promise<string | null> {
  const [row] = await context.db
    .select({ latest: sql<string | null>`max(${syncLinks.fingerprint})` })
    .from(syncLinks)
    .where(
      and(
        tenantLinks(context),
        eq(syncLinks.entity, IMPORT_ENTITY),
        isNotNull(syncLinks.fingerprint),
        ne(syncLinks.fingerprint, DEFERRED),
        lt(syncLinks.updatedAt, runStart),
      ),
    );
  return row?.latest ? new Date(Date.parse(row.latest) - CURSOR_OVERLAP_MS).toISOString() : null;
}

async function loadPage(context: SyncContext, zohoIds: string[], runStart: Date): Promise<Page> {
  const db = context.db;
  const [exportedRows, intentRows, links] = await Promise.all([
    zohoIds.length
      ? db
          .select({ zohoId: syncLinks.zohoId, splynxId: syncLinks.splynxId })
          .from(syncLinks)
          .where(and(tenantLinks(context), eq(syncLinks.entity, "payment"), inArray(syncLinks.zohoId, zohoIds)))
      : [],
    db
      .select({ intentKey: syncLinks.intentKey })
      .from(syncLinks)
      .where(
        and(
          eq(syncLinks.tenantId, context.tenantId),
          eq(syncLinks.entity, "payment"),
          isNull(syncLinks.zohoId),
          isNotNull(syncLinks.intentKey),
        ),
      ),
    linksFor(db, { tenantId: context.tenantId, entity: IMPORT_ENTITY, splynxIds: zohoIds }),
  ]);
  return {
    runStart,
    today: todayIn(context.settings.general.timeZone),
    exported: new Map(exportedRows.map((row) => [row.zohoId!, row.splynxId])),
    exportIntents: intentRows.map((row) => row.intentKey!),
    links,
  };
}

/** The rule that keeps a payment Ledgerlink itself recorded in Zoho out of Splynx, or null. */
function ownExport(payment: ZohoRecord, page: Page): string | null {
  const zohoId = String(payment.payment_id);
  const from = page.exported.get(zohoId);
  if (from) return `Exported by Ledgerlink from Splynx payment ${from}: never imported back.`;
  const description = /^Splynx payment (\d+)$/.exec(String(payment.description ?? ""));
  if (description)
    return `Recorded in Zoho by Ledgerlink's payments export (Splynx payment ${description[1]}): never imported back.`;
  const pending = page.exportIntents.find(
    (key) =>
      key.reference === String(payment.reference_number ?? "") &&
      key.customer === String(payment.customer_id) &&
      key.date === String(payment.date) &&
      compare(key.amount ?? "0", money(payment.amount)) === 0,
  );
  if (pending) return "Recorded in Zoho by an interrupted payments export of Ledgerlink: never imported back.";
  return null;
}

async function linkByZohoId(
  context: SyncContext,
  entity: "customer" | "invoice",
  zohoId: string,
): Promise<Link | undefined> {
  const [row] = await context.db
    .select()
    .from(syncLinks)
    .where(and(tenantLinks(context), eq(syncLinks.entity, entity), eq(syncLinks.zohoId, zohoId)));
  return row;
}

/** SPEC §6.4: on the one linked, unpaid invoice it pays; otherwise unlinked with "create payment always", or skipped. */
async function decide(context: SyncContext, payment: ZohoRecord): Promise<Decision> {
  const applied = ((payment.invoices as ZohoRecord[] | undefined) ?? []).filter(
    (entry) => compare(money(entry.amount_applied), "0") > 0,
  );
  const base = { date: String(payment.date), number: String(payment.payment_number ?? payment.payment_id) };
  let reason: string;
  if (applied.length === 1) {
    const entry = applied[0]!;
    const invoiceLink = await linkByZohoId(context, "invoice", String(entry.invoice_id));
    if (!invoiceLink)
      reason = `Applied to Zoho invoice ${String(entry.invoice_number ?? entry.invoice_id)}, which no Splynx invoice is linked to (a Zoho-only invoice).`;
    else {
      const invoice = await context.splynx.get("invoices", Number(invoiceLink.splynxId));
      if (invoice.status === "paid" || compare(invoice.due, "0") <= 0)
        reason = `Splynx invoice ${invoice.number} is already paid.`;
      else if (invoice.status === "deleted") reason = `Splynx invoice ${invoice.number} is deleted.`;
      else
        return {
          write: {
            ...base,
            customerId: String(invoice.customer_id),
            invoiceId: String(invoice.id),
            invoiceNumber: invoice.number,
            amount: money(entry.amount_applied),
          },
        };
    }
  } else if (applied.length > 1) {
    reason = `Applied to ${applied.length} Zoho invoices (${applied.map((entry) => String(entry.invoice_number ?? entry.invoice_id)).join(", ")}); only a payment on one invoice is imported onto it.`;
  } else reason = "Applied to no Zoho invoice.";
  if (!context.settings.paymentsImport.createPaymentAlways) return { skip: reason };
  const customer = await linkByZohoId(context, "customer", String(payment.customer_id));
  if (!customer)
    return {
      skip: `${reason} Zoho customer ${String(payment.customer_name ?? payment.customer_id)} is not linked to a Splynx customer, and none is guessed.`,
    };
  return {
    write: { ...base, customerId: customer.splynxId, invoiceId: "", invoiceNumber: "", amount: money(payment.amount) },
  };
}

// ---- Payment statements: one per day or month, found again before one is created ----

const statementCache = new WeakMap<SyncContext, Map<string, string>>();

export function statementTitle(context: SyncContext, date: string) {
  const period = context.settings.general.statementGrouping === "daily" ? date : date.slice(0, 7);
  return `Ledgerlink: payments from Zoho Books ${period}`;
}

async function statementFor(context: SyncContext, date: string): Promise<string> {
  const title = statementTitle(context, date);
  const cache = statementCache.get(context) ?? new Map<string, string>();
  statementCache.set(context, cache);
  const known = cache.get(title);
  if (known) return known;
  let id: string | null = null;
  for await (const page of context.splynx.pages("paymentStatements", { filter: { title } })) {
    const found = page.records.find((statement) => statement.title === title);
    if (found) {
      id = String(found.id);
      break;
    }
  }
  id ??= String(
    await context.splynx.createPaymentStatement({
      title,
      payment_type: Number(context.settings.paymentsImport.accountingMethodId),
      status: "success",
    }),
  );
  cache.set(title, id);
  return id;
}

/** The payment's line in its statement, once: found by the payment before it is written. */
async function statementRecord(context: SyncContext, plan: Plan, splynxPaymentId: string, zohoId: string) {
  const filter = { bank_statements_process_id: Number(plan.statementId), payment_id: Number(splynxPaymentId) };
  for await (const page of context.splynx.pages("paymentStatementRecords", { filter }))
    if (page.records.length > 0) return;
  await context.splynx.createPaymentStatementRecord({
    bank_statements_process_id: Number(plan.statementId),
    payment_date: plan.date,
    amount: plan.amount,
    status: "processed",
    customer_id: Number(plan.customerId),
    ...(plan.invoiceId ? { invoice_id: Number(plan.invoiceId), pairing_2: plan.invoiceNumber } : {}),
    payment_id: Number(splynxPaymentId),
    pairing_1: plan.customerId,
    additional_1: zohoId,
    comment: `Zoho payment ${plan.number}`,
  });
}

/** The Splynx payment an earlier attempt made for this Zoho payment (its id is kept in field_1), if any. */
async function findImported(context: SyncContext, zohoId: string): Promise<string | null> {
  const filter = { field_1: zohoId, payment_type: Number(context.settings.paymentsImport.accountingMethodId) };
  for await (const page of context.splynx.pages("payments", { filter })) {
    const found = page.records.find((payment) => payment.field_1 === zohoId);
    if (found) return String(found.id);
  }
  return null;
}

// ---- One Zoho payment ----

type Target = { zohoId: string; label: string; details: ImportDetails };

async function finishLink(
  step: Step,
  target: Target,
  write: Omit<LinkWrite, "tenantId" | "entity" | "splynxId"> | null,
  action: "created" | "skipped" | "failed" | "warning" | "unchanged",
  message?: string,
) {
  const { context, tally } = step;
  tally.handled(action);
  const entry =
    action === "unchanged"
      ? null
      : { entity: IMPORT_ENTITY, splynxId: target.zohoId, action, message: message ?? null };
  if (write) {
    const link: LinkWrite = {
      tenantId: context.tenantId,
      entity: IMPORT_ENTITY,
      splynxId: target.zohoId,
      zohoId: target.zohoId,
      organizationId: context.organizationId,
      label: target.label,
      ...write,
    };
    await writeLinkWithEntry(context.db, { link, runId: context.runId, entry });
  } else if (entry)
    await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries: [entry] });
}

async function skip(step: Step, target: Target, link: Link | undefined, fingerprint: string | null, rule: string) {
  if (link?.state === "skipped" && link.message === rule && link.fingerprint === fingerprint) {
    step.tally.handled("skipped");
    return;
  }
  await finishLink(
    step,
    target,
    { state: "skipped", fingerprint, message: rule, details: { ...link?.details, ...target.details } },
    "skipped",
    rule,
  );
}

const planFrom = (key: Record<string, string>): Plan => ({
  customerId: key.customerId!,
  invoiceId: key.invoiceId ?? "",
  invoiceNumber: key.invoiceNumber ?? "",
  amount: key.amount!,
  date: key.date!,
  number: key.number ?? "",
  statementId: key.statementId!,
});

/**
 * One Zoho payment. `payment` is the list's summary (or the full payment); `full` reads the whole payment (its
 * invoices) only when it must be decided, so settled payments cost no Zoho call.
 */
async function importOne(step: Step, payment: ZohoRecord, full: () => Promise<ZohoRecord>) {
  const { context, page, mode } = step;
  const zohoId = String(payment.payment_id);
  const link = page.links.get(zohoId);
  // Handled already in this run (by the sweep of pending records, or an earlier page): not again. A pending one is
  // what a dead attempt of this same run left (a retried step): its claim decides who finishes it.
  if (link && link.state !== "pending" && link.updatedAt.getTime() >= page.runStart.getTime()) return;
  const changed = zohoInstant(payment.last_modified_time);
  const date = String(payment.date ?? "");
  const target: Target = {
    zohoId,
    label: `Zoho payment ${String(payment.payment_number ?? zohoId)}`,
    details: { number: String(payment.payment_number ?? ""), date, zohoTotal: money(payment.amount) },
  };
  if (link?.state === "synced") return step.tally.handled("unchanged");
  const interrupted =
    link?.state === "pending" &&
    (link.intentKey !== null || Boolean((link.details as ImportDetails | null)?.splynxPaymentId));

  if (!interrupted) {
    const own = ownExport(payment, page);
    if (own) return skip(step, target, link, changed, own);
    if (mode === "new" && link?.state === "skipped" && link.fingerprint === changed)
      return step.tally.handled("skipped");
    if (
      link?.state === "failed" &&
      !context.retry &&
      link.fingerprint === changed &&
      link.retryAfter &&
      link.retryAfter.getTime() > Date.now()
    )
      return step.tally.handled("failed");
    const from = context.settings.paymentsImport.importFromDate;
    if (from && date < from)
      return skip(step, target, link, changed, `Dated ${date}, before the import-from date ${from}.`);
    // Imported when its date comes (the sweep of deferred records finds it then), whatever the cursor has done since.
    if (date > page.today)
      return skip(step, target, link, DEFERRED, `Dated ${date}, after today: imported when that date comes.`);
  }

  const current = await claimLink(context.db, {
    tenantId: context.tenantId,
    entity: IMPORT_ENTITY,
    splynxId: zohoId,
    label: target.label,
    claimId: randomUUID(),
    claimMs: context.claimMs ?? CLAIM_MS,
  });
  if (!current)
    return finishLink(
      step,
      target,
      null,
      "warning",
      "Another attempt is importing this payment right now; it finishes it.",
    );
  const kept = current.details as ImportDetails | null;
  let splynxPaymentId = kept?.splynxPaymentId ?? null;
  let plan: Plan | null = current.intentKey ? planFrom(current.intentKey) : null;
  let adopted = false;
  try {
    if (!splynxPaymentId && current.intentKey) {
      // An earlier POST may have reached Splynx: the payment carries the Zoho id in field_1.
      splynxPaymentId = await findImported(context, zohoId);
      adopted = splynxPaymentId !== null;
    }
    if (!splynxPaymentId) {
      const decision = await decide(context, await full());
      if ("skip" in decision) return await skip(step, target, { ...current, state: "pending" }, changed, decision.skip);
      plan = { ...decision.write, statementId: await statementFor(context, decision.write.date) };
      target.details.customerId = plan.customerId;
      await context.crashPoint?.("before-intent");
      if (
        !(await recordIntent(context.db, {
          tenantId: context.tenantId,
          entity: IMPORT_ENTITY,
          claim: current,
          intentKey: { ...plan, zohoId },
        }))
      ) {
        return await finishLink(
          step,
          target,
          null,
          "warning",
          "Another attempt took this payment over; it finishes it.",
        );
      }
      await context.crashPoint?.("after-intent");
      splynxPaymentId = String(
        await context.splynx.createPayment({
          customer_id: Number(plan.customerId),
          ...(plan.invoiceId ? { invoice_id: Number(plan.invoiceId) } : {}),
          payment_type: Number(context.settings.paymentsImport.accountingMethodId),
          receipt_number: `Zoho ${plan.number}`.slice(0, 32),
          date: plan.date,
          amount: plan.amount,
          field_1: zohoId,
          field_2: plan.number,
          comment: `Imported from Zoho Books payment ${plan.number}`.slice(0, 256),
          payment_statement_id: Number(plan.statementId),
        }),
      );
      await context.crashPoint?.("after-send");
    }
    if (!plan) throw new Error("The Splynx payment exists but what it was made of is not known; check it in Splynx.");
    const details: ImportDetails = {
      ...kept,
      ...target.details,
      customerId: plan.customerId,
      splynxPaymentId,
      statementId: plan.statementId,
      splynxTotal: plan.amount,
      zohoNumber: plan.number,
      ...(plan.invoiceNumber ? { invoiceNumber: plan.invoiceNumber } : {}),
    };
    // The Splynx payment is linked before its statement line, so an interruption between them never writes it again.
    await writeLinkWithEntry(context.db, {
      link: {
        tenantId: context.tenantId,
        entity: IMPORT_ENTITY,
        splynxId: zohoId,
        zohoId,
        organizationId: context.organizationId,
        label: target.label,
        state: "pending",
        message: "Imported into Splynx; its payment statement line is not written yet.",
        details,
        keepClaim: true,
      },
      runId: context.runId,
      entry: null,
    });
    await context.crashPoint?.("after-link");
    await statementRecord(context, plan, splynxPaymentId, zohoId);
    const on = plan.invoiceId ? `on Splynx invoice ${plan.invoiceNumber}` : "not linked to an invoice";
    const message = `${adopted ? "Found in Splynx after an interrupted import" : "Imported"}: Splynx payment ${splynxPaymentId} ${on}, statement ${plan.statementId}.`;
    await finishLink(step, target, { state: "synced", fingerprint: changed, details }, "created", message);
  } catch (error) {
    const stop = stopFor(error, context);
    if (stop) {
      const message = `Interrupted: ${stop.message}`;
      await finishLink(step, target, { state: "pending", details: { ...kept, ...target.details } }, "warning", message);
      throw stop;
    }
    if (error instanceof RunStop) throw error;
    const message = errorText(error);
    const failures = current.failures + 1;
    // Splynx refused the POST outright (not a lost answer), so nothing was written: no lookup is needed next time.
    const refused = error instanceof SplynxError && !error.transient && !splynxPaymentId ? { intentKey: null } : {};
    await finishLink(
      step,
      target,
      {
        ...refused,
        state: "failed",
        fingerprint: changed,
        message,
        failures,
        retryAfter: retryAfterFailures(failures),
        details: { ...kept, ...target.details, ...(splynxPaymentId ? { splynxPaymentId } : {}) },
      },
      "failed",
      message,
    );
  }
}

/** Import links that need a look whatever the cursor says: interrupted, failed, or deferred until a date now come. */
async function dueLinks(context: SyncContext, today: string): Promise<Link[]> {
  return context.db
    .select()
    .from(syncLinks)
    .where(
      and(
        tenantLinks(context),
        eq(syncLinks.entity, IMPORT_ENTITY),
        or(
          eq(syncLinks.state, "pending"),
          eq(syncLinks.state, "failed"),
          and(
            eq(syncLinks.state, "skipped"),
            eq(syncLinks.fingerprint, DEFERRED),
            sql`${syncLinks.details}->>'date' <= ${today}`,
          ),
        ),
      ),
    );
}

function settingsCheck(context: SyncContext): string | null {
  const { paymentsImport } = context.settings;
  if (!paymentsImport.enabled) return "Payments import is off in Settings: nothing was imported.";
  if (!paymentsImport.accountingMethodId)
    throw new RunStop(
      "Payments import needs the accounting payment method (Settings → Payments import): the Splynx payment method imported payments get, which is never exported back.",
      "failed",
    );
  return null;
}

async function handleIds(step: Step, zohoIds: string[]) {
  for (const zohoId of zohoIds) {
    await beforeEach(step);
    const known = step.page.links.get(zohoId);
    const details = known?.details as ImportDetails | null;
    let payment: ZohoRecord | null = null;
    const read = async () => (payment ??= await step.context.books.getPayment(zohoId));
    try {
      // A payment already in Splynx that waits for its statement line needs nothing from Zoho.
      const summary =
        known?.state === "pending" && details?.splynxPaymentId
          ? {
              payment_id: zohoId,
              payment_number: details.number,
              date: details.date,
              amount: details.zohoTotal,
              last_modified_time: null,
            }
          : await read();
      await importOne(step, summary, read);
    } catch (error) {
      if (error instanceof RunStop) throw error;
      if (error instanceof ZohoError && error.kind === "not_found") {
        await finishLink(
          step,
          { zohoId, label: known?.label ?? `Zoho payment ${zohoId}`, details: {} },
          { state: "skipped", message: "Gone from Zoho." },
          "skipped",
          "Gone from Zoho.",
        );
      } else throw error;
    }
  }
}

/**
 * One step of an import run: `after` 0 first looks at the links that are due (interrupted, failed, deferred), then
 * reads Zoho's payments page by page (`after` + 1) in the order Zoho created them, so a page does not shift while the
 * run reads on. "new" handles those changed since the cursor, "all" every one dated on or after the import-from date.
 */
async function importPage(context: SyncContext, after: number, tally: PageTally): Promise<number | null> {
  const off = settingsCheck(context);
  if (off) {
    if (after === 0)
      await addEntries(context.db, {
        tenantId: context.tenantId,
        runId: context.runId,
        entries: [{ entity: IMPORT_ENTITY, splynxId: "-", action: "warning", message: off }],
      });
    return null;
  }
  const mode = context.paymentsImportMode;
  const runStart = await runStartOf(context);
  const cursor = mode === "new" ? await importCursor(context, runStart) : null;
  if (after === 0) {
    const due = (await dueLinks(context, todayIn(context.settings.general.timeZone))).map((link) => link.splynxId);
    await handleIds({ context, page: await loadPage(context, due, runStart), mode, tally }, due);
  }

  const pageNumber = after + 1;
  const from = context.settings.paymentsImport.importFromDate;
  const query = {
    page: String(pageNumber),
    per_page: String(PER_PAGE),
    sort_column: "created_time",
    sort_order: "A",
    ...(from ? { date_start: from } : {}),
  };
  await keepQuotaReserve(context);
  const body = await context.books.request({ method: "GET", path: "/customerpayments", query });
  const listed = (body.customerpayments as ZohoRecord[] | undefined) ?? [];
  const more = Boolean((body.page_context as { has_more_page?: boolean } | undefined)?.has_more_page);
  // Zoho documents no "changed since" filter for payments: the pages are read and the cursor picks what to handle.
  const wanted = listed.filter((payment) => !cursor || (zohoInstant(payment.last_modified_time) ?? "") >= cursor);
  const page = await loadPage(
    context,
    wanted.map((payment) => String(payment.payment_id)),
    runStart,
  );
  const step = { context, page, mode, tally };
  for (const payment of wanted) {
    await beforeEach(step);
    await importOne(step, payment, () => context.books.getPayment(String(payment.payment_id)));
  }
  return more ? pageNumber : null;
}

/** Between payments: the run's heartbeat, a person's cancel, and the tenant's reserve of Zoho's quota. */
async function beforeEach(step: Step) {
  await beat(step.context, step.tally);
  await keepQuotaReserve(step.context);
}

/** Payments, Zoho → Splynx: links keyed by the Zoho payment id; Zoho's payments are not counted (it costs calls). */
export const paymentsImportFlow: EntityFlow = {
  count: async () => 0,
  async page(context, input) {
    const tally = new PageTally(context);
    let lastId: number | null = null;
    const result = await tally.run(async () => {
      lastId = await importPage(context, input.after, tally);
    });
    return { ...result, lastId, done: lastId === null };
  },
  async chosen(context, zohoIds) {
    const tally = new PageTally(context);
    const result = await tally.run(async () => {
      if (settingsCheck(context)) return;
      const page = await loadPage(context, zohoIds, await runStartOf(context));
      await handleIds({ context, page, mode: "all", tally }, zohoIds);
    });
    return { ...result, lastId: null, done: true };
  },
  // Imported payments stay in Splynx whatever Zoho does later; nothing is swept or counted.
  finish: async () => {},
};

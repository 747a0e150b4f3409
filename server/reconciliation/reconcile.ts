// The reconciliation report (SPEC §8): per period and per customer, Splynx's totals against Zoho's for invoices, credit
// notes and payments, and every mismatch listed. Splynx is read whole (cheap); Zoho by its lists (one call per 200).
import { linksOfEntity } from "@/db/queries/reports";
import type { SyncEntity } from "@/db/schema";
import { add, compare } from "@/server/money";
import type { SyncContext } from "@/server/sync/entity";
import {
  KINDS,
  RECONCILED,
  statusDifference,
  zohoSide,
  type ReconciledEntity,
  type Side,
  type SplynxSide,
} from "./documents";

export const MISMATCH_KINDS = [
  "missing_in_zoho",
  "missing_in_splynx",
  "total_differs",
  "status_differs",
  "not_linked",
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];
export const CUSTOMER_ACTIONS = ["customer_differs", "customer_matches"] as const;

export type ReconciliationRow = {
  /** The document's entity, or "customer" for a customer's totals. */
  entity: SyncEntity;
  splynxId: string | null;
  zohoId: string | null;
  label: string;
  customerId: string | null;
  action: MismatchKind | (typeof CUSTOMER_ACTIONS)[number];
  message: string | null;
  details: Record<string, string>;
};

/** One line of totals: a period's or a customer's, for one entity. */
export type Totals = { splynx: string; zoho: string; splynxCount: number; zohoCount: number };
export type PeriodTotals = { period: string; entity: ReconciledEntity } & Totals;
export type ReconciliationSummary = {
  from: string | null;
  to: string | null;
  periods: PeriodTotals[];
  mismatches: Record<MismatchKind, number>;
  customers: number;
  customersDiffering: number;
};

export type Scope = { from: string | null; to: string | null };
type Progress = (step: string, done: number) => Promise<void>;

const NOUN: Record<ReconciledEntity, string> = { invoice: "Invoice", credit_note: "Credit note", payment: "Payment" };
const emptyTotals = (): Totals => ({ splynx: "0", zoho: "0", splynxCount: 0, zohoCount: 0 });

class Ledger {
  readonly periods = new Map<string, Totals>();
  readonly customers = new Map<string, Record<ReconciledEntity, Totals>>();

  count(side: "splynx" | "zoho", entity: ReconciledEntity, document: Side, customerId: string) {
    const period = `${document.date.slice(0, 7) || "undated"}|${entity}`;
    const lines = [this.periods.get(period) ?? emptyTotals()];
    this.periods.set(period, lines[0]!);
    const customer =
      this.customers.get(customerId) ??
      ({ invoice: emptyTotals(), credit_note: emptyTotals(), payment: emptyTotals() } as Record<
        ReconciledEntity,
        Totals
      >);
    this.customers.set(customerId, customer);
    lines.push(customer[entity]);
    for (const line of lines) {
      line[side] = add([line[side], document.total || "0"], 2);
      if (side === "splynx") line.splynxCount++;
      else line.zohoCount++;
    }
  }
}

const inScope = (date: string, scope: Scope) => (!scope.from || date >= scope.from) && (!scope.to || date <= scope.to);
const differs = (totals: Totals) => compare(totals.splynx, totals.zoho) !== 0;

async function splynxDocuments(context: SyncContext, entity: ReconciledEntity, progress: Progress) {
  const documents = new Map<string, SplynxSide>();
  for await (const page of context.splynx.pages(KINDS[entity].resource, { pageSize: 500 })) {
    for (const record of page.records)
      documents.set(String(record.id), KINDS[entity].splynx(record as Record<string, unknown>, context));
    await progress(`Splynx ${NOUN[entity].toLowerCase()}s`, documents.size);
  }
  return documents;
}

async function zohoDocuments(context: SyncContext, entity: ReconciledEntity, progress: Progress) {
  const { path, key } = KINDS[entity].zoho;
  const documents = new Map<string, Side>();
  for await (const page of context.books.list(path, key)) {
    for (const row of page) {
      const side = zohoSide(entity, row);
      documents.set(side.id, side);
    }
    await progress(`Zoho ${NOUN[entity].toLowerCase()}s`, documents.size);
  }
  return documents;
}

/** Every mismatch of one entity, and its documents counted in the ledger. */
async function reconcileEntity(
  context: SyncContext,
  entity: ReconciledEntity,
  scope: Scope,
  ledger: Ledger,
  customerOfContact: Map<string, string>,
  progress: Progress,
): Promise<ReconciliationRow[]> {
  const { tenantId, organizationId } = context;
  const splynx = await splynxDocuments(context, entity, progress);
  const zoho = await zohoDocuments(context, entity, progress);
  const every = await linksOfEntity(context.db, { tenantId, entity });
  const allLinks = new Map(every.map((link) => [link.splynxId, link]));
  const links = every.filter((link) => link.zohoId && link.organizationId === organizationId);
  const linkBySplynx = new Map(links.map((link) => [link.splynxId, link]));
  const held = new Set(links.map((link) => link.zohoId!));
  // Payments imported from Zoho are held by the import's links, keyed by the Zoho payment id.
  if (entity === "payment")
    for (const link of await linksOfEntity(context.db, { tenantId, entity: "payment_import" })) held.add(link.splynxId);
  const rows: ReconciliationRow[] = [];
  const mismatch = (action: MismatchKind, both: { splynx?: Side; zoho?: Side }, message: string) => {
    const document = both.splynx ?? both.zoho!;
    const customerId =
      both.splynx?.customerId ?? customerOfContact.get(both.zoho?.customerId ?? "") ?? both.zoho?.customerId ?? null;
    rows.push({
      entity,
      splynxId: both.splynx?.id ?? null,
      zohoId: both.zoho?.id ?? null,
      label: `${NOUN[entity]} ${document.number || document.id}`,
      customerId,
      action,
      message,
      details: {
        date: document.date,
        splynxTotal: both.splynx?.total ?? "",
        zohoTotal: both.zoho?.total ?? "",
        splynxStatus: both.splynx?.status ?? "",
        zohoStatus: both.zoho?.status ?? "",
      },
    });
  };

  for (const document of splynx.values()) {
    if (!inScope(document.date, scope)) continue;
    const link = linkBySplynx.get(document.id);
    const found = link ? zoho.get(link.zohoId!) : undefined;
    const skipped = allLinks.get(document.id)?.state === "skipped";
    const counted = (document.expected && !skipped) || document.imported;
    if (counted) ledger.count("splynx", entity, document, document.customerId ?? "?");
    if (link && found) {
      if (compare(document.total || "0", found.total || "0") !== 0 && found.status !== "void")
        mismatch(
          "total_differs",
          { splynx: document, zoho: found },
          `${document.total} in Splynx, ${found.total} in Zoho.`,
        );
      const status = statusDifference(entity, document.status, found.status);
      if (status) mismatch("status_differs", { splynx: document, zoho: found }, status);
    } else if (link && link.fingerprint !== "retired")
      mismatch(
        "missing_in_zoho",
        { splynx: document },
        `Linked to Zoho record ${link.zohoId}, which Zoho no longer lists.`,
      );
    else if (document.expected && !skipped && document.status !== "deleted") {
      const state = allLinks.get(document.id);
      const why = !state
        ? "Not exported yet."
        : state.state === "failed"
          ? `Failed: ${state.message ?? ""}`
          : `${state.state[0]!.toUpperCase()}${state.state.slice(1)}: ${state.message ?? "not in Zoho yet."}`;
      mismatch("missing_in_zoho", { splynx: document }, why.trim());
    }
  }
  const linkedZoho = new Map(links.map((link) => [link.zohoId!, link]));
  for (const document of zoho.values()) {
    if (!inScope(document.date, scope) || document.status === "void") continue;
    const link = linkedZoho.get(document.id);
    const customerId = link
      ? (splynx.get(link.splynxId)?.customerId ?? "?")
      : (customerOfContact.get(document.customerId ?? "") ?? `zoho:${document.customerId ?? "?"}`);
    ledger.count("zoho", entity, document, customerId);
    if (!held.has(document.id))
      mismatch("not_linked", { zoho: document }, "Zoho holds this record, and no Splynx record is linked to it.");
    else if (link && !splynx.has(link.splynxId))
      mismatch(
        "missing_in_splynx",
        { zoho: document },
        `Linked to Splynx ${entity.replace("_", " ")} ${link.splynxId}, which Splynx no longer has.`,
      );
  }
  return rows;
}

/** Per customer: one line each, marked as differing when any entity's totals differ. */
function customerRows(ledger: Ledger, names: Map<string, string>): ReconciliationRow[] {
  return [...ledger.customers.entries()].map(([customerId, totals]) => {
    const differing = RECONCILED.some((entity) => differs(totals[entity]));
    const details: Record<string, string> = {};
    for (const entity of RECONCILED) {
      details[`${entity}Splynx`] = totals[entity].splynx;
      details[`${entity}Zoho`] = totals[entity].zoho;
    }
    return {
      entity: "customer" as const,
      splynxId: customerId.startsWith("zoho:") ? null : customerId,
      zohoId: customerId.startsWith("zoho:") ? customerId.slice(5) : null,
      label:
        names.get(customerId) ?? (customerId.startsWith("zoho:") ? `Zoho contact ${customerId.slice(5)}` : customerId),
      customerId,
      action: differing ? "customer_differs" : "customer_matches",
      message: null,
      details,
    };
  });
}

async function customerNames(context: SyncContext) {
  const names = new Map<string, string>();
  for await (const page of context.splynx.pages("customers", { pageSize: 500 }))
    for (const customer of page.records) names.set(String(customer.id), customer.name);
  return names;
}

/** Reconciles the scope; the export-from date bounds it when no start is given. `context` must read Zoho only. */
export async function reconcile(
  context: SyncContext,
  scope: Scope,
  progress: Progress,
): Promise<{ rows: ReconciliationRow[]; summary: ReconciliationSummary }> {
  const bounded = { from: scope.from ?? context.settings.general.exportFromDate ?? null, to: scope.to };
  const customers = await linksOfEntity(context.db, { tenantId: context.tenantId, entity: "customer" });
  const customerOfContact = new Map(
    customers
      .filter((link) => link.zohoId && link.organizationId === context.organizationId)
      .map((link) => [link.zohoId!, link.splynxId]),
  );
  const ledger = new Ledger();
  const rows: ReconciliationRow[] = [];
  for (const entity of RECONCILED)
    rows.push(...(await reconcileEntity(context, entity, bounded, ledger, customerOfContact, progress)));
  const mismatches = Object.fromEntries(MISMATCH_KINDS.map((kind) => [kind, 0])) as Record<MismatchKind, number>;
  for (const row of rows) mismatches[row.action as MismatchKind]++;
  const customerLines = customerRows(ledger, await customerNames(context));
  const periods = [...ledger.periods.entries()]
    .map(([key, totals]) => {
      const [period, entity] = key.split("|") as [string, ReconciledEntity];
      return { period, entity, ...totals };
    })
    .sort((a, b) => a.period.localeCompare(b.period) || RECONCILED.indexOf(a.entity) - RECONCILED.indexOf(b.entity));
  return {
    rows: [...rows, ...customerLines],
    summary: {
      ...bounded,
      periods,
      mismatches,
      customers: customerLines.length,
      customersDiffering: customerLines.filter((row) => row.action === "customer_differs").length,
    },
  };
}

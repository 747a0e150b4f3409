// What invoices and credit notes share: the page's customers, mappings, arithmetic and rates, and Splynx lines as Zoho lines.
import { listMappings, listReference } from "@/db/queries/mapping";
import { linksFor, type Link } from "@/db/queries/sync";
import { add, compare, negate } from "@/server/money";
import { NO_TAX } from "@/server/mapping/screens";
import type { CreditNote, Invoice } from "@/server/splynx/records";
import type { ZohoRecord } from "@/server/zoho/books";
import { RecordProblem, type Eligibility, type SyncContext } from "../entity";
import { arithmeticOf, closeTheGap, type DocumentLine, type TaxSpec, type ZohoArithmetic } from "../totals";

export type SplynxDocument = Invoice | CreditNote;
type Item = SplynxDocument["items"][number] & { categoryIdForTransaction?: number | null };

type PageState = {
  customers: Map<string, Link>;
  items: Map<string, string>;
  taxes: Map<string, string>;
  zohoTaxes: Map<string, TaxSpec>;
  categoryNames: Map<string, string>;
  taxNames: Map<string, string>;
  arithmetic: ZohoArithmetic;
  /** The document currency when it is not the organization's base currency, with its rate per document date. */
  foreign: { currencyId: string; code: string; base: string; rates: Map<string, string | null> } | null;
};

const pageStates = new WeakMap<SyncContext, PageState>();
const SETTINGS_TTL_MS = 10 * 60_000;
const remembered = new Map<string, { at: number; value: unknown }>();

/** Zoho settings change rarely: each is read once per ten minutes per process and organization, not once per page. */
async function rememberedFor<T>(context: SyncContext, key: string, read: () => Promise<T>): Promise<T> {
  const name = `${context.organizationId}:${key}`;
  const cached = remembered.get(name);
  if (cached && Date.now() - cached.at < SETTINGS_TTL_MS) return cached.value as T;
  const value = await read();
  remembered.set(name, { at: Date.now(), value });
  return value;
}

// Zoho's tax rounding is not in its organization answer but in every document's; the first answer teaches it.
const learnedArithmetic = new Map<string, ZohoArithmetic>();

/** Remembers the arithmetic a document's answer reveals, so later documents need no total check. */
export function learnArithmetic(context: SyncContext, answered: ZohoRecord) {
  const arithmetic = arithmeticOf(answered);
  if (arithmetic) learnedArithmetic.set(context.organizationId, arithmetic);
}

/** A tax group's members, so its tax is computed member by member as Zoho does. */
async function groupMembers(
  context: SyncContext,
  groupId: string,
): Promise<Pick<TaxSpec, "components" | "componentIds">> {
  const group = await rememberedFor(context, `taxgroup:${groupId}`, () => context.books.taxGroup(groupId));
  const taxes = (group.taxes as ZohoRecord[] | undefined) ?? [];
  return {
    components: taxes.map((tax) => String(tax.tax_percentage)),
    componentIds: taxes.map((tax) => String(tax.tax_id)),
  };
}

/** The rate Zoho holds for the currency on the date (its closest earlier rate), or null when it holds none. */
async function rateOn(context: SyncContext, currencyId: string, date: string): Promise<string | null> {
  const rates = await context.books.exchangeRates(currencyId, date);
  const effective = rates
    .filter((rate) => String(rate.effective_date ?? "") <= date)
    .sort((a, b) => String(b.effective_date).localeCompare(String(a.effective_date)));
  return effective[0] ? String(effective[0].rate) : null;
}

export async function loadDocumentPage(context: SyncContext, records: SplynxDocument[]): Promise<void> {
  const tenantId = context.tenantId;
  const [customers, mappings, reference, organization] = await Promise.all([
    linksFor(context.db, {
      tenantId,
      entity: "customer",
      splynxIds: [...new Set(records.map((record) => String(record.customer_id)))],
    }),
    listMappings(context.db, { tenantId }),
    listReference(context.db, { tenantId, kinds: ["zoho_tax", "splynx_category", "splynx_tax"] }),
    rememberedFor(context, "organization", () => context.books.organization(context.organizationId)),
  ]);
  const mapped = (kind: string) =>
    new Map(mappings.filter((row) => row.kind === kind).map((row) => [row.splynxId, row.zohoValue]));
  const names = (kind: string) =>
    new Map(reference.filter((record) => record.kind === kind).map((record) => [record.externalId, record.name]));
  const arithmetic = arithmeticOf(organization) ?? learnedArithmetic.get(context.organizationId) ?? null;
  const zohoTaxes = new Map<string, TaxSpec>();
  for (const tax of reference.filter((record) => record.kind === "zoho_tax")) {
    const members = tax.details.taxType === "tax_group" ? await groupMembers(context, tax.externalId) : {};
    zohoTaxes.set(tax.externalId, { taxId: tax.externalId, percentage: tax.details.percentage ?? "0", ...members });
  }
  const base = String(organization.currency_code ?? "");
  const code = context.settings.general.currencyCode;
  let foreign: PageState["foreign"] = null;
  if (code && context.currencyId && code !== base) {
    const rates = new Map<string, string | null>();
    for (const date of new Set(records.map((record) => record.date_created ?? "")))
      rates.set(date, await rateOn(context, context.currencyId, date));
    foreign = { currencyId: context.currencyId, code, base, rates };
  }
  pageStates.set(context, {
    customers,
    items: mapped("category_item"),
    taxes: mapped("tax"),
    zohoTaxes,
    categoryNames: names("splynx_category"),
    taxNames: names("splynx_tax"),
    arithmetic: arithmetic ?? { taxRounding: "item" },
    foreign,
  });
}

function pageState(context: SyncContext): PageState {
  const state = pageStates.get(context);
  if (!state) throw new Error("The document page was not loaded before its records");
  return state;
}

/** SPEC §6.2: what keeps a document out of Zoho, with the rule a person reads. */
export function documentEligibility(
  record: SplynxDocument,
  context: SyncContext,
  what: "invoice" | "credit note",
): Eligibility {
  const customer = pageState(context).customers.get(String(record.customer_id));
  if (record.status !== "deleted" && customer?.state === "skipped")
    return {
      eligible: false,
      rule: `Customer ${record.customer_id} is not exported: ${customer.message ?? ""}`.trim(),
    };
  return ownEligibility(record, context, what);
}

/** The rules a document meets on its own, before its customer is known: these decide whether the customer is needed. */
export function ownEligibility(
  record: SplynxDocument,
  context: SyncContext,
  what: "invoice" | "credit note",
): Eligibility {
  if (record.status === "deleted") return { eligible: false, rule: "Deleted in Splynx.", retire: true };
  const from = context.settings.general.exportFromDate;
  if (from && record.date_created && record.date_created < from)
    return { eligible: false, rule: `Dated ${record.date_created}, before the export-from date ${from}.` };
  if (record.items.length === 0) return { eligible: false, rule: `The ${what} has no items.` };
  if (compare(record.total, "0") < 0)
    return { eligible: false, rule: "A negative total is not an invoice in Zoho; Splynx credit notes carry refunds." };
  return { eligible: true };
}

/** The Zoho contact of the document's customer, which must be in Zoho first. */
export function zohoCustomerOf(record: SplynxDocument, context: SyncContext): string {
  const link = pageState(context).customers.get(String(record.customer_id));
  if (link?.zohoId && link.state === "synced" && link.organizationId === context.organizationId) return link.zohoId;
  const why =
    link?.state === "held"
      ? "it is held for review on Pairing"
      : link?.state === "failed"
        ? `it failed: ${link.message ?? ""}`
        : "it has not been exported";
  throw new RecordProblem(
    `Customer ${record.customer_id} is not in Zoho yet (${why.trim()}); this document waits for it.`,
  );
}

const withPeriod = (item: Item) =>
  item.period_from && item.period_to && !item.description.includes(item.period_from)
    ? `${item.description} (${item.period_from} – ${item.period_to})`
    : item.description;

/** The document's lines as Zoho lines; an unmapped category or tax fails the record, naming the mapping to fix. */
export function zohoLines(record: SplynxDocument, context: SyncContext): DocumentLine[] {
  const state = pageState(context);
  return (record.items as Item[]).map((item) => {
    const category = item.categoryIdForTransaction ? String(item.categoryIdForTransaction) : null;
    const itemId = category ? state.items.get(category) : undefined;
    if (category && !itemId)
      throw new RecordProblem(
        `Transaction category '${state.categoryNames.get(category) ?? category}' has no Zoho item: map it on Mapping → Accounting categories.`,
      );
    const taxKey = item.tax_id ? String(item.tax_id) : null;
    const zohoTax = taxKey ? state.taxes.get(taxKey) : compare(item.tax, "0") === 0 ? NO_TAX : undefined;
    if (!zohoTax)
      throw new RecordProblem(
        `Tax '${taxKey ? (state.taxNames.get(taxKey) ?? taxKey) : `${item.tax} %`}' has no Zoho tax: map it on Mapping → Tax rates.`,
      );
    const tax = zohoTax === NO_TAX ? null : (state.zohoTaxes.get(zohoTax) ?? { taxId: zohoTax, percentage: item.tax });
    return {
      itemId: itemId ?? null,
      description: withPeriod(item).slice(0, 2000),
      quantity: item.quantity,
      rate: item.price,
      tax,
    };
  });
}

/** Zoho's fields for the document's lines, totalled by Zoho to Splynx's total to the cent. */
export function documentBody(record: SplynxDocument, context: SyncContext): ZohoRecord {
  const state = pageState(context);
  const roundingItemId = context.settings.customers.roundingItemId;
  // What Zoho's latest answer taught beats what the page started with.
  const arithmetic = learnedArithmetic.get(context.organizationId) ?? state.arithmetic;
  const { lines, adjustment } = closeTheGap(zohoLines(record, context), record.total, arithmetic, roundingItemId);
  const body: ZohoRecord = {
    customer_id: zohoCustomerOf(record, context),
    date: record.date_created,
    line_items: lines.map((line: DocumentLine) => ({
      ...(line.itemId ? { item_id: line.itemId } : { name: line.description.slice(0, 100) }),
      description: line.description,
      quantity: Number(line.quantity),
      rate: Number(line.rate),
      ...(line.tax ? { tax_id: line.tax.taxId } : {}),
    })),
    ...(adjustment !== null
      ? { adjustment: Number(adjustment), adjustment_description: "Rounding to the Splynx total" }
      : {}),
  };
  if (state.foreign) {
    const rate = state.foreign.rates.get(record.date_created ?? "");
    if (!rate)
      throw new RecordProblem(
        `Zoho holds no ${state.foreign.code} → ${state.foreign.base} exchange rate on or before ${record.date_created}: add one in Zoho Books (Settings → Currencies).`,
      );
    body.exchange_rate = Number(rate);
  }
  return body;
}

/**
 * What Zoho's answered total lacks of Splynx's (target − answered), or null when equal. Checked on every answer (it
 * costs nothing): the arithmetic may be unknown, or changed in Zoho since it was learned.
 */
export function totalGap(target: string, answered: ZohoRecord): string | null {
  if (answered.total === undefined) return null;
  const gap = add([target, negate(String(answered.total))], 2);
  return compare(gap, "0") === 0 ? null : gap;
}

/** The body with the gap absorbed where the rounding goes: the rounding item's line, else the adjustment. */
export function closedBody(body: ZohoRecord, gap: string, roundingItemId: string | null): ZohoRecord {
  const lines = body.line_items as ZohoRecord[];
  const rounding = roundingItemId
    ? lines.findIndex((line) => line.item_id === roundingItemId && line.tax_id === undefined)
    : -1;
  if (rounding >= 0)
    return {
      ...body,
      line_items: lines.map((line, index) =>
        index === rounding ? { ...line, rate: Number(add([String(line.rate), gap], 2)) } : line,
      ),
    };
  return {
    ...body,
    adjustment: Number(add([String(body.adjustment ?? 0), gap], 2)),
    adjustment_description: "Rounding to the Splynx total",
  };
}

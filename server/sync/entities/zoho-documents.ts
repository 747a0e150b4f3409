// One adapter shape for Zoho's numbered documents (invoices, credit notes): number lookups, adoption, totals checked.
import { linkedZohoIds } from "@/db/queries/sync";
import type { SyncEntity } from "@/db/schema";
import { compare } from "@/server/money";
import type { ZohoBooksClient, ZohoRecord } from "@/server/zoho/books";
import { ZohoError } from "@/server/zoho/errors";
import { RecordProblem, type EntityAdapter, type SyncContext, type ZohoFacts } from "../entity";
import {
  closedBody,
  documentBody,
  documentEligibility,
  learnArithmetic,
  loadDocumentPage,
  ownEligibility,
  totalGap,
  type SplynxDocument,
} from "./documents";

/** How one kind of Zoho document is written and found. */
export type ZohoDocumentApi = {
  entity: SyncEntity;
  /** What a person calls it: "invoice", "credit note". */
  noun: "invoice" | "credit note";
  numberField: string;
  idField: string;
  create: (books: ZohoBooksClient, body: ZohoRecord) => Promise<ZohoRecord>;
  update: (books: ZohoBooksClient, id: string, body: ZohoRecord) => Promise<ZohoRecord>;
  findByNumber: (books: ZohoBooksClient, number: string) => Promise<ZohoRecord | undefined>;
  void: (books: ZohoBooksClient, id: string) => Promise<unknown>;
};

/** Zoho refuses a number it already holds (code 1001); the document holding it is looked up instead. */
const numberTaken = (error: unknown) =>
  error instanceof ZohoError &&
  error.kind === "rejected" &&
  (error.details.code === 1001 || /already exists/i.test(error.message));

/** The Splynx total travels beside the body so a lookup can compare it; Zoho never sees it. */
const forZoho = ({ splynx_total: _total, ...body }: ZohoRecord) => body;

async function adoptByNumber(api: ZohoDocumentApi, context: SyncContext, payload: ZohoRecord) {
  const number = String(payload[api.numberField]);
  const found = await api.findByNumber(context.books, number);
  if (!found)
    throw new RecordProblem(`Zoho says ${api.noun} number ${number} exists, but no ${api.noun} with it can be found.`);
  const id = String(found[api.idField]);
  const held = await linkedZohoIds(context.db, {
    tenantId: context.tenantId,
    organizationId: context.organizationId,
    entity: api.entity,
    zohoIds: [id],
  });
  const sameCustomer = String(found.customer_id) === String(payload.customer_id);
  const sameTotal = compare(String(found.total ?? ""), String(payload.splynx_total ?? "")) === 0;
  if (held.has(id) || !sameCustomer || !sameTotal) {
    throw new RecordProblem(
      `Zoho ${api.noun} ${id} already holds number ${number} (customer ${String(found.customer_name ?? found.customer_id)}, total ${String(found.total)}), and it is not this ${api.noun}: renumber one of them.`,
    );
  }
  const adopted = `${api.noun[0]!.toUpperCase()}${api.noun.slice(1)} number ${number} was already in Zoho with the same customer and total: linked to it.`;
  return { zohoId: id, adopted, facts: { zohoTotal: String(found.total), zohoStatus: String(found.status ?? "") } };
}

/**
 * Zoho's answer is checked against Splynx's total, and a gap (arithmetic not known yet, or changed) closed with one
 * more call; the answer also teaches the arithmetic. Returns Zoho's total and status as it last answered.
 */
async function correctTotal(
  api: ZohoDocumentApi,
  context: SyncContext,
  zohoId: string,
  payload: ZohoRecord,
  answered: ZohoRecord,
): Promise<ZohoFacts> {
  const gap = totalGap(String(payload.splynx_total), answered);
  learnArithmetic(context, answered);
  const final = gap
    ? await api.update(
        context.books,
        zohoId,
        forZoho(closedBody(payload, gap, context.settings.customers.roundingItemId)),
      )
    : answered;
  return { zohoTotal: String(final.total), zohoStatus: String(final.status) };
}

type DocumentAdapter<R extends "invoices" | "creditNotes"> = Omit<EntityAdapter<R>, "prepare"> & {
  prepare: EntityAdapter<R>["prepare"];
};

/** The adapter of a Zoho document kind; `fields` adds what only that kind sends (an invoice's due date). */
export function zohoDocumentAdapter<R extends "invoices" | "creditNotes">(
  api: ZohoDocumentApi,
  resource: R,
  options: {
    fields?: (record: SplynxDocument) => ZohoRecord;
    finish?: EntityAdapter<R>["finish"];
    beforePage?: EntityAdapter<R>["beforePage"];
  } = {},
): DocumentAdapter<R> {
  return {
    entity: api.entity,
    resource,
    // Splynx keeps only the day a document changed.
    changes: { name: "date_updated", precision: "date" },
    label: (record) => `${api.noun[0]!.toUpperCase()}${api.noun.slice(1)} ${(record as SplynxDocument).number}`,
    dependsOn: [
      {
        entity: "customer",
        ids: (records, context) =>
          (records as SplynxDocument[])
            .filter((record) => ownEligibility(record, context, api.noun).eligible)
            .map((record) => String(record.customer_id)),
      },
    ],
    async beforePage(context, records) {
      await loadDocumentPage(context, records as SplynxDocument[]);
      await options.beforePage?.(context, records);
    },
    eligibility: (record, context) => documentEligibility(record as SplynxDocument, context, api.noun),
    prepare(record, context) {
      const document = record as SplynxDocument;
      const body = {
        ...documentBody(document, context),
        ...options.fields?.(document),
        [api.numberField]: document.number,
        reference_number: `Splynx ${document.id}`,
        splynx_total: document.total,
      };
      return { payload: body, key: { number: document.number }, notes: [] };
    },
    details: (record) => {
      const document = record as SplynxDocument;
      return {
        number: document.number,
        customerId: String(document.customer_id),
        date: document.date_created ?? "",
        splynxTotal: document.total,
      };
    },
    async findSent(context, keys) {
      const ids = new Set<string>();
      for (const number of new Set(keys.map((key) => key.number!))) {
        const found = await api.findByNumber(context.books, number);
        if (found) ids.add(String(found[api.idField]));
      }
      return { ids: [...ids], strong: true };
    },
    // A number Zoho already holds is found when the create is refused, so a first create costs no lookup.
    findExisting: async () => ({ ids: [], strong: true, reason: "same number" }),
    async create(context, payload) {
      let created: ZohoRecord;
      try {
        created = await api.create(context.books, forZoho(payload));
      } catch (error) {
        if (numberTaken(error)) return adoptByNumber(api, context, payload);
        throw error;
      }
      const zohoId = String(created[api.idField]);
      return { zohoId, facts: await correctTotal(api, context, zohoId, payload, created) };
    },
    update: async (context, zohoId, payload) =>
      correctTotal(api, context, zohoId, payload, await api.update(context.books, zohoId, forZoho(payload))),
    finish: options.finish,
    async retire(context, zohoId) {
      await api.void(context.books, zohoId);
      return "Voided in Zoho.";
    },
  };
}

// The preview (dry run, SPEC §8): each record of the chosen entities through its adapter as the next run would take it,
// in the run's order, with its dependencies first; Zoho is only read (lists, amortised), never written.
import { cachedContacts } from "@/db/queries/pairing";
import { refusedDuplicateName } from "@/db/queries/reports";
import { linksFor } from "@/db/queries/sync";
import type { SyncEntity } from "@/db/schema";
import { creditNotesAdapter } from "@/server/sync/entities/credit-notes";
import { customersAdapter } from "@/server/sync/entities/customers";
import { invoicesAdapter } from "@/server/sync/entities/invoices";
import { paymentsExportAdapter } from "@/server/sync/entities/payments-export";
import { refreshContactIndex } from "@/server/sync/contact-index";
import { goneFromSplynx, missingDependencies } from "@/server/sync/engine";
import type { EntityAdapter, SyncContext } from "@/server/sync/entity";
import type { RejectedRecord } from "@/server/splynx/client";
import { splynxIdOf, type ResourceName, type SplynxRecord } from "@/server/splynx/records";
import { ZohoHoldings } from "./changes";
import { decide, linkedIn, rememberDecision, type Decision, type PreviewAction } from "./decide";

/** What a preview covers: the exports, in the order a run makes them (the payments import reads Zoho, not Splynx). */
export const PREVIEW_ENTITIES = ["customer", "invoice", "credit_note", "payment"] as const satisfies SyncEntity[];
export type PreviewEntity = (typeof PREVIEW_ENTITIES)[number];

const ADAPTERS: Record<PreviewEntity, EntityAdapter> = {
  customer: customersAdapter as EntityAdapter,
  invoice: invoicesAdapter as EntityAdapter,
  credit_note: creditNotesAdapter as EntityAdapter,
  payment: paymentsExportAdapter as EntityAdapter,
};

export type PreviewRow = {
  entity: SyncEntity;
  splynxId: string;
  label: string;
  customerId: string | null;
  zohoId: string | null;
  action: PreviewAction;
  message: string | null;
  /** Previewed because a record of this entity needs it first (the run counts it with that entity's page). */
  neededBy: PreviewEntity | null;
};

export type PreviewSink = {
  /** A page of decided records, written as they come. */
  rows: (rows: PreviewRow[]) => Promise<void>;
  /** Records of the entity decided so far, for progress. */
  progress: (entity: PreviewEntity, records: number) => Promise<void>;
};

type Session = { context: SyncContext; holdings: ZohoHoldings; takenNames: Set<string> | null; sink: PreviewSink };

const customerOf = (record: unknown) => {
  const customer = (record as { customer_id?: number | string }).customer_id;
  return customer === undefined ? null : String(customer);
};

/** The records another entity's page needs first (an invoice's customer) that its run would sync before it. */
async function previewDependencies(session: Session, adapter: EntityAdapter, records: SplynxRecord<ResourceName>[]) {
  for (const { entity, ids } of await missingDependencies(session.context, adapter, records))
    await previewChosen(session, entity as PreviewEntity, ids, adapter.entity as PreviewEntity);
}

async function previewChosen(session: Session, entity: PreviewEntity, ids: string[], neededBy: PreviewEntity) {
  const adapter = ADAPTERS[entity];
  const records: SplynxRecord<ResourceName>[] = [];
  const rejected: RejectedRecord[] = [];
  for (const id of ids) {
    try {
      records.push(await session.context.splynx.get(adapter.resource, Number(id)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rejected.push({ id, field: "id", message: `Splynx could not give this record: ${message}` });
    }
  }
  await previewRecords(session, adapter, { records, rejected }, neededBy);
}

async function previewRecords(
  session: Session,
  adapter: EntityAdapter,
  { records, rejected }: { records: SplynxRecord<ResourceName>[]; rejected: RejectedRecord[] },
  neededBy: PreviewEntity | null,
) {
  const { context } = session;
  await previewDependencies(session, adapter, records);
  await adapter.beforePage?.(context, records);
  const rows: PreviewRow[] = rejected.map((record) => ({
    entity: adapter.entity,
    splynxId: record.id ?? "?",
    label: `Splynx ${adapter.entity.replace("_", " ")} ${record.id ?? "?"}`,
    customerId: null,
    zohoId: null,
    action: "fail",
    message: `Splynx sent an unreadable record: ${record.field}: ${record.message}`,
    neededBy,
  }));
  const links = await linksFor(context.db, {
    tenantId: context.tenantId,
    entity: adapter.entity,
    splynxIds: records.map(splynxIdOf),
  });
  for (const record of records) {
    const target = { splynxId: splynxIdOf(record), label: adapter.label(record) };
    const link = links.get(target.splynxId);
    const decision = await decide({ ...session, adapter, record, link });
    await rememberDecision(context, adapter.entity, target, link, decision);
    rows.push({
      entity: adapter.entity,
      ...target,
      customerId: customerOf(record),
      zohoId: decision.zohoId ?? (linkedIn(link, context.organizationId) ? link!.zohoId : null),
      action: decision.action,
      message: decision.message ?? null,
      neededBy,
    });
  }
  await session.sink.rows(rows);
  return rows.length;
}

const GONE = "Gone from Splynx: its Zoho record would be ended.";

/** Records linked in Zoho that Splynx no longer has: the run's sweep would end (void, delete) their Zoho records. */
async function previewGone(session: Session, adapter: EntityAdapter) {
  if (!adapter.retire) return;
  const { context } = session;
  for await (const gone of goneFromSplynx(context, adapter)) {
    const links = await linksFor(context.db, { tenantId: context.tenantId, entity: adapter.entity, splynxIds: gone });
    const rows: PreviewRow[] = [];
    for (const splynxId of gone) {
      const link = links.get(splynxId);
      const target = { splynxId, label: link?.label ?? `Splynx ${adapter.entity.replace("_", " ")} ${splynxId}` };
      const decision: Decision = { action: "update", message: GONE, retires: true };
      await rememberDecision(context, adapter.entity, target, link, decision);
      rows.push({
        entity: adapter.entity,
        ...target,
        customerId: link?.details?.customerId ?? null,
        zohoId: link?.zohoId ?? null,
        action: "update",
        message: GONE,
        neededBy: null,
      });
    }
    await session.sink.rows(rows);
  }
}

/** Zoho refuses a taken name only when the organization switched duplicates off, which a past refusal shows. */
async function namesZohoRefuses(context: SyncContext): Promise<Set<string> | null> {
  if (!(await refusedDuplicateName(context.db, context.tenantId))) return null;
  await refreshContactIndex(context);
  const contacts = await cachedContacts(context.db, context.tenantId);
  return new Set(contacts.map((contact) => contact.name.trim().toLowerCase()));
}

/**
 * Previews the entities in the run's order. `context` must read Zoho only (see read-only.ts) and point at a scratch
 * copy of the tenant's links (see shadow.ts), which the preview changes as the run would change the real ones.
 */
export async function previewEntities(
  context: SyncContext,
  entities: readonly PreviewEntity[],
  sink: PreviewSink,
  pageSize = 200,
) {
  const session: Session = {
    context,
    holdings: new ZohoHoldings(context),
    takenNames: await namesZohoRefuses(context),
    sink,
  };
  for (const entity of PREVIEW_ENTITIES.filter((chosen) => entities.includes(chosen))) {
    const adapter = ADAPTERS[entity];
    let handled = 0;
    for await (const page of context.splynx.pages(adapter.resource, { pageSize })) {
      if (page.records.length + page.rejected.length === 0) break;
      handled += await previewRecords(session, adapter, page, null);
      await sink.progress(entity, handled);
    }
    await previewGone(session, adapter);
  }
}

/** How many records the preview will go through, for its progress. */
export async function countPreviewed(context: SyncContext, entities: readonly PreviewEntity[]) {
  let total = 0;
  for (const entity of entities) total += await context.splynx.count(ADAPTERS[entity].resource);
  return total;
}

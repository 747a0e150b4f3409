// The sync engine for any entity: a step's pages of Splynx records through its adapter, every record accounted for
// (SPEC §6).
import { randomUUID } from "node:crypto";
import { unsettledSplynxIds } from "@/db/queries/cursors";
import {
  addEntries,
  linkedSplynxIds,
  linksFor,
  writeLinkWithEntry,
  type EntryInput,
  type Link,
} from "@/db/queries/sync";
import type { SyncEntity } from "@/db/schema";
import type { RejectedRecord } from "@/server/splynx/client";
import { splynxIdOf, type ResourceName, type SplynxRecord } from "@/server/splynx/records";
import { customersAdapter } from "./entities/customers";
import { creditNotesAdapter } from "./entities/credit-notes";
import { invoicesAdapter } from "./entities/invoices";
import { paymentsExportAdapter } from "./entities/payments-export";
import { forEachAtMost, KeyGate } from "./concurrency";
import { readAhead, type StepEnd, type StepLimits } from "./read-ahead";
import type { EntityAdapter, SyncContext } from "./entity";
import {
  beat,
  emptyCounts,
  keepQuotaReserve,
  learnStoredQuota,
  PageTally,
  writerLanes,
  writersAllowed,
  type EntityFlow,
  type PageResult,
  type StepInput,
} from "./flow";
import { changedSince } from "./incremental";
import { paymentsImportFlow } from "./payments-import";
import { PageWrites } from "./page-writes";
import { retire, RunStop, stopFor, syncRecord } from "./record";
import { indexSplynxPage } from "@/server/splynx-index/rows";

export { emptyCounts, PageStop, type PageProgress, type PageResult } from "./flow";
export { RunStop } from "./record";
export type { SyncContext } from "./entity";

/** Entities in the order a run syncs them: what a record needs is synced before it. */
export const SYNC_ORDER: readonly SyncEntity[] = ["customer", "invoice", "credit_note", "payment", "payment_import"];

/** Records Splynx sent that could not be read: a failed link where the id is known, a log entry either way. */
async function recordRejected(context: SyncContext, entity: SyncEntity, rejected: RejectedRecord[], tally: PageTally) {
  for (const record of rejected) {
    const message = `Splynx sent an unreadable record: ${record.field}: ${record.message}`;
    const entry: EntryInput = { entity, splynxId: record.id ?? "?", action: "failed", message };
    if (record.id)
      await writeLinkWithEntry(context.db, {
        link: { tenantId: context.tenantId, entity, splynxId: record.id, state: "failed", message },
        runId: context.runId,
        entry,
      });
    else await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries: [entry] });
    tally.handled("failed");
  }
}

/** Per entity these records need first (an invoice's customer), those of its records not settled in Zoho yet. */
export async function missingDependencies(
  context: SyncContext,
  adapter: EntityAdapter,
  records: SplynxRecord<ResourceName>[],
): Promise<{ entity: SyncEntity; ids: string[] }[]> {
  const missing: { entity: SyncEntity; ids: string[] }[] = [];
  for (const { entity, ids } of adapter.dependsOn ?? []) {
    const wanted = [...new Set(ids(records, context))];
    const links = await linksFor(context.db, { tenantId: context.tenantId, entity, splynxIds: wanted });
    const settled = (id: string) => {
      const link = links.get(id);
      if (link?.state === "synced") return link.organizationId === context.organizationId;
      return link?.state === "skipped" || link?.state === "held";
    };
    const unsettled = wanted.filter((id) => !settled(id));
    if (unsettled.length > 0) missing.push({ entity, ids: unsettled });
  }
  return missing;
}

/** Syncs first the records of another entity these need (an invoice's customer) that are not in Zoho yet. */
async function syncDependencies(
  context: SyncContext,
  adapter: EntityAdapter,
  records: SplynxRecord<ResourceName>[],
  tally: PageTally,
) {
  for (const { entity, ids } of await missingDependencies(context, adapter, records)) {
    // Their counts join the page's; they are not records of the page's entity, so its progress does not move.
    const dependency = new PageTally(context, false);
    const [chosen, rejected] = await readChosen(context, entity, ids);
    const needed = requireAdapter(entity);
    const sync = async () => {
      await recordRejected(context, entity, rejected, dependency);
      await syncRecords(context, needed, await readyPage(context, needed, chosen, dependency), dependency);
    };
    try {
      await dependency.run(sync);
    } finally {
      tally.add(dependency.counts);
    }
  }
}

/** A record made ready to write: the context of its page (an adapter keeps a page's lookups by it), and its link. */
type ReadyRecord = { context: SyncContext; record: SplynxRecord<ResourceName>; link: Link | undefined };
type PageRead = { records: SplynxRecord<ResourceName>[]; rejected: RejectedRecord[] };

/**
 * What a page's records need before they write: the run's lease renewed, the records they depend on synced, the
 * adapter's lookups for the page; meanwhile the page's links and the daily quota last stored are read.
 * `pageContext` is the page's own when a step has several. Nothing counts in the tally but the dependencies' outcomes.
 */
async function readyPage(
  context: SyncContext,
  adapter: EntityAdapter,
  records: SplynxRecord<ResourceName>[],
  tally: PageTally,
  pageContext = context,
): Promise<ReadyRecord[]> {
  const prepare = async () => {
    await beat(pageContext, tally, true);
    await syncDependencies(pageContext, adapter, records, tally);
    await adapter.beforePage?.(pageContext, records);
  };
  // What the preparations write is another entity's links; all end before the page goes on or fails, so none outlives
  // its page.
  const [read, ...preparations] = await Promise.allSettled([
    linksFor(context.db, {
      tenantId: context.tenantId,
      entity: adapter.entity,
      splynxIds: records.map(splynxIdOf),
    }),
    prepare(),
    learnStoredQuota(context),
  ]);
  for (const step of preparations) if (step.status === "rejected") throw step.reason;
  if (read.status === "rejected") throw read.reason;
  const links = read.value;
  return records.map((record) => ({
    context: pageContext,
    record,
    link: links.get(splynxIdOf(record)),
  }));
}

/**
 * Syncs records side by side, as many at once as the organization's Zoho concurrency allows, as they are made ready
 * (a step's next page while this one writes); each is written with its link and log entry as it is handled. Records
 * competing for one Zoho record wait for each other, whichever page they came in.
 */
async function syncRecords(
  context: SyncContext,
  adapter: EntityAdapter,
  records: Iterable<ReadyRecord> | AsyncIterable<ReadyRecord>,
  tally: PageTally,
  onFailure?: () => void,
) {
  const attemptId = randomUUID();
  const gate = new KeyGate();
  const exclusive = (keys: string[]) => gate.enter(keys);
  // A second level, taken only after a record's own keys: the Zoho record it found and is about to pair with.
  const zohoGate = new KeyGate();
  const holdZoho = (zohoId: string) => zohoGate.enter([`zoho:${adapter.entity}:${zohoId}`]);
  const beforeZoho = () => keepQuotaReserve(context);
  const batch = new PageWrites();
  const write = async ({ context: pageContext, record, link }: ReadyRecord) => {
    await beat(context, tally);
    const step = { context: pageContext, adapter, record, link, attemptId, beforeZoho, exclusive, holdZoho };
    const outcome = await syncRecord({ ...step, defer: batch.defer });
    tally.handled(outcome.action);
  };
  try {
    // One record at a time until the quota is known (writersAllowed): the lanes open as Zoho first reports it.
    const width = () => writersAllowed(context);
    await forEachAtMost(records, writerLanes(context), write, { width, widens: context.books.quotaHeard, onFailure });
  } finally {
    await batch.write(context);
  }
}

/** Chosen records read one by one from Splynx; one Splynx could not give becomes a rejected record, not a stop. */
async function readChosen(context: SyncContext, entity: SyncEntity, splynxIds: string[]) {
  const adapter = requireAdapter(entity);
  const records: SplynxRecord<ResourceName>[] = [];
  const rejected: RejectedRecord[] = [];
  for (const id of splynxIds) {
    try {
      records.push(await context.splynx.get(adapter.resource, Number(id)));
    } catch (error) {
      const message = `Splynx could not give this record: ${error instanceof Error ? error.message : String(error)}`;
      rejected.push({ id, field: "id", message });
    }
  }
  return [records, rejected] as const;
}

const SWEEP_BATCH = 100;

/**
 * Keyset paging never revisits a record Splynx removed: the Splynx ids of the entity's links in this organization
 * whose record Splynx no longer has, a batch at a time (the run voids their Zoho records; a preview shows it would).
 */
export async function* goneFromSplynx(context: SyncContext, adapter: EntityAdapter): AsyncGenerator<string[]> {
  for (let after = ""; ; ) {
    const ids = await linkedSplynxIds(context.db, {
      tenantId: context.tenantId,
      entity: adapter.entity,
      organizationId: context.organizationId,
      after,
      limit: SWEEP_BATCH,
    });
    if (ids.length === 0) return;
    const present = await context.splynx.existingIds(adapter.resource, ids.map(Number));
    yield ids.filter((id) => !present.has(Number(id)));
    after = ids.at(-1)!;
  }
}

async function sweepGone(context: SyncContext, adapter: EntityAdapter): Promise<void> {
  if (!adapter.retire) return;
  const attemptId = randomUUID();
  // Their outcomes (voided: updated) count in the run; they are not records of its pages, so progress stays.
  const outcomes = new PageTally(context);
  for await (const gone of goneFromSplynx(context, adapter)) {
    for (const splynxId of gone) {
      await beat(context, outcomes);
      const outcome = await retire(
        { context, adapter, attemptId, beforeZoho: () => keepQuotaReserve(context) },
        { splynxId, label: `Splynx ${adapter.entity.replace("_", " ")} ${splynxId}` },
        "Gone from Splynx.",
      );
      outcomes.counted(outcome.action);
    }
    await outcomes.report();
  }
}

type StepPage = PageRead & { lastId: number | null };

/** A step of one page: a person's chosen records, and a step told no more. */
const ONE_PAGE: StepLimits = { pages: 1, budgetMs: Number.POSITIVE_INFINITY };

/**
 * Syncs a step's pages, from the one read, with one tally: the next is read, and made ready when that writes nothing
 * to Zoho (the adapter's records depend on none), while the one before writes (readAhead). A later page that cannot be
 * read or made ready ends the step before it, unless the run must stop. Each page goes into Records' index meanwhile:
 * the index is what Records shows, no step of the sync, so the records do not wait for it. Its failing never fails
 * the sync (the index job refreshes it).
 */
async function syncStep(
  context: SyncContext,
  adapter: EntityAdapter,
  first: StepPage,
  read: () => Promise<StepPage | null>,
  limits: StepLimits,
): Promise<PageResult> {
  const indexing: Promise<void>[] = [];
  const tally = new PageTally(context);
  let pages = 0;
  const ready = (page: StepPage) => {
    const { records } = page;
    const indexed = indexSplynxPage(context.db, { tenantId: context.tenantId, adapter, records }).catch((error) => {
      console.error(`Records' index of Splynx ${adapter.entity} records not updated by run ${context.runId}:`, error);
    });
    indexing.push(indexed);
    // Each later page has a context of its own, as it had in a step of its own: an adapter keeps a page's lookups by it.
    const pageContext = pages++ === 0 ? context : { ...context };
    return readyPage(context, adapter, records, tally, pageContext);
  };
  const begin = (page: StepPage) => recordRejected(context, adapter.entity, page.rejected, tally);
  const endsStep = (error: unknown) => {
    if (error instanceof RunStop || stopFor(error, context)) return false;
    console.error(`Run ${context.runId} ends its step before a ${adapter.entity} page it could not read:`, error);
    return true;
  };
  const later = { read, ready, readyAhead: !adapter.dependsOn, begin, endsStep };
  let end: StepEnd | undefined;
  const work = async () => {
    const items = await ready(first);
    await begin(first);
    const ahead = readAhead({ page: first, items }, later, limits);
    end = ahead.end;
    await syncRecords(context, adapter, ahead.items, tally, ahead.close);
  };
  try {
    const progress = await tally.run(work);
    return { ...progress, ...end! };
  } finally {
    await Promise.all(indexing);
  }
}

/** At most this many failed or interrupted records are tried again by a read of changes; the daily full read the rest. */
const UNSETTLED_PER_READ = 200;

/** Splynx → Zoho through the entity's adapter, keyed by Splynx ids; scheduled runs may read only the changes. */
function exportFlow(adapter: EntityAdapter): EntityFlow {
  const entity = adapter.entity;
  const label = entity.replace("_", " ");
  const changes = (context: SyncContext) => {
    const since = context.changedSince?.[entity];
    return since && adapter.changes ? changedSince(adapter.changes, since) : undefined;
  };
  return {
    count: (context) => context.splynx.count(adapter.resource, changes(context)),
    async page(context, input) {
      const filter = changes(context);
      const reads = context.splynx.pages(adapter.resource, { after: input.after, pageSize: input.pageSize, filter });
      // Records tried again first are not handled a second time where the listing comes to them.
      const retriedIds = new Set<string>();
      const read = async () => {
        const next = await reads.next();
        if (next.done) return null;
        const records = next.value.records.filter((record) => !retriedIds.has(splynxIdOf(record)));
        return { ...next.value, records };
      };
      try {
        const page = await read();
        // A read of changes first tries again what failed or was interrupted: no change in Splynx would bring it back.
        const unsettled =
          filter && input.after === 0
            ? await unsettledSplynxIds(context.db, { tenantId: context.tenantId, entity, limit: UNSETTLED_PER_READ })
            : [];
        const listed = new Set(page?.records.map(splynxIdOf));
        const [retried, unreadable] = await readChosen(
          context,
          entity,
          unsettled.filter((id) => !listed.has(id)),
        );
        for (const record of retried) retriedIds.add(splynxIdOf(record));
        const records = [...retried, ...(page?.records ?? [])];
        const rejected = [...unreadable, ...(page?.rejected ?? [])];
        if (records.length + rejected.length === 0)
          return { lastId: null, records: 0, counts: emptyCounts(), zohoCalls: 0, done: true };
        const first = { records, rejected, lastId: page?.lastId ?? null };
        return await syncStep(context, adapter, first, read, input.step ?? ONE_PAGE);
      } finally {
        await reads.return(undefined);
      }
    },
    async chosen(context, splynxIds) {
      const [records, rejected] = await readChosen(context, entity, splynxIds);
      const first = { records, rejected, lastId: null };
      return syncStep(context, adapter, first, async () => null, ONE_PAGE);
    },
    // Zoho records of Splynx records that are gone are voided; a warning when the run handled a different number. A
    // read of changes sees neither (the daily full read does).
    async finish(context, handled) {
      if (changes(context)) return;
      await sweepGone(context, adapter);
      const expected = await context.splynx.count(adapter.resource);
      if (expected === handled) return;
      const message = `Splynx counts ${expected} ${label} records, and this run handled ${handled}: records added or removed during the run, or a listing Splynx cut short.`;
      await addEntries(context.db, {
        tenantId: context.tenantId,
        runId: context.runId,
        entries: [{ entity, splynxId: "-", action: "warning", message }],
      });
    },
  };
}

const ADAPTERS = [customersAdapter, invoicesAdapter, creditNotesAdapter, paymentsExportAdapter] as EntityAdapter[];
const adapters = new Map(ADAPTERS.map((adapter) => [adapter.entity, adapter]));
const flows = new Map<SyncEntity, EntityFlow>([
  ...ADAPTERS.map((adapter) => [adapter.entity, exportFlow(adapter)] as const),
  ["payment_import", paymentsImportFlow],
]);

function requireAdapter(entity: SyncEntity): EntityAdapter {
  const adapter = adapters.get(entity);
  if (!adapter) throw new RunStop(`Ledgerlink does not export ${entity.replace("_", " ")}s to Zoho.`, "failed");
  return adapter;
}

function requireFlow(entity: SyncEntity): EntityFlow {
  const flow = flows.get(entity);
  if (!flow) throw new RunStop(`This version of Ledgerlink does not sync ${entity.replace("_", " ")}s yet.`, "failed");
  return flow;
}

/** Whether a run can sync the entity. */
export const syncsEntity = (entity: SyncEntity): boolean => flows.has(entity);

/**
 * The entity's records after `after` (the flow's own cursor), a page of them or the pages `step` allows: a durable step
 * of a run.
 */
export const syncPage = (context: SyncContext, entity: SyncEntity, input: StepInput) =>
  requireFlow(entity).page(context, input);

/** Chosen records of one entity (a person's "retry"), by the ids their links are keyed by. */
export const syncChosen = (context: SyncContext, entity: SyncEntity, ids: string[]) =>
  requireFlow(entity).chosen(context, ids);

export const countRecords = (context: SyncContext, entity: SyncEntity) => requireFlow(entity).count(context);

/** After an entity's last page: what its flow does to close it (sweeps, count checks). */
export const finishEntity = (context: SyncContext, entity: SyncEntity, handled: number) =>
  requireFlow(entity).finish(context, handled);

// The sync engine for any entity: one page of Splynx records through its adapter, every record accounted for (SPEC §6).
import { randomUUID } from "node:crypto";
import { heartbeat } from "@/db/queries/runs";
import { addEntries, linkedSplynxIds, linksFor, writeLinkWithEntry, type EntryInput } from "@/db/queries/sync";
import { zohoUsage } from "@/db/queries/zoho-limits";
import type { RunCounts, SyncEntity } from "@/db/schema";
import type { Page, RejectedRecord } from "@/server/splynx/client";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import { customersAdapter } from "./entities/customers";
import { creditNotesAdapter } from "./entities/credit-notes";
import { invoicesAdapter } from "./entities/invoices";
import { paymentsExportAdapter } from "./entities/payments-export";
import type { EntityAdapter, SyncContext } from "./entity";
import { importChosen, IMPORT_ENTITY, syncImportPage, type ImportMode } from "./payments-import";
import { retire, RunStop, syncRecord } from "./record";

export { RunStop } from "./record";
export type { SyncContext } from "./entity";

/** Entities in the order a run syncs them: what a record needs is synced before it. */
export const SYNC_ORDER: readonly SyncEntity[] = ["customer", "invoice", "credit_note", "payment", "payment_import"];

const ADAPTERS: { [E in SyncEntity]?: EntityAdapter } = {
  customer: customersAdapter as EntityAdapter,
  invoice: invoicesAdapter as EntityAdapter,
  credit_note: creditNotesAdapter as EntityAdapter,
  payment: paymentsExportAdapter as EntityAdapter,
};

/** The entity's adapter, or undefined while this version does not sync it yet. */
export const adapterFor = (entity: SyncEntity): EntityAdapter | undefined => ADAPTERS[entity];

/** Whether a run can sync the entity: an adapter's Splynx → Zoho export, or the payments import from Zoho. */
export const syncsEntity = (entity: SyncEntity): boolean =>
  entity === IMPORT_ENTITY || adapterFor(entity) !== undefined;

function requireAdapter(entity: SyncEntity): EntityAdapter {
  const adapter = adapterFor(entity);
  if (!adapter)
    throw new RunStop(`This version of Ledgerlink does not sync ${entity.replace("_", " ")}s yet.`, "failed");
  return adapter;
}

/** `done`: the entity has no records after this page. */
export type PageResult = {
  lastId: number | null;
  records: number;
  counts: RunCounts;
  zohoCalls: number;
  done: boolean;
};
export const emptyCounts = (): RunCounts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 });

/** A stop part-way through a page, with what the page had done until then, so no count or call is lost. */
export class PageStop extends RunStop {
  constructor(
    stop: RunStop,
    readonly partial: Omit<PageResult, "lastId" | "done">,
  ) {
    super(stop.message, stop.status, stop.resumeAt);
  }
}

const HEARTBEAT_MS = 5_000;
const lastBeat = new WeakMap<SyncContext, number>();

/** Renews the run's lease every few seconds, and stops the worker when a person cancelled or the run ended elsewhere. */
async function beat(context: SyncContext, force = false) {
  // On the embedded database and in-process simulators nothing else would get a turn of the event loop during a run.
  await new Promise((resolve) => setImmediate(resolve));
  if (!force && Date.now() - (lastBeat.get(context) ?? 0) < HEARTBEAT_MS) return;
  lastBeat.set(context, Date.now());
  const run = await heartbeat(context.db, { tenantId: context.tenantId, runId: context.runId });
  if (!run)
    throw new RunStop(
      "The run was ended while this worker was still on it (cancelled, or taken for lost); it stopped.",
      "failed",
    );
  if (run.cancelRequested) throw new RunStop("Cancelled by a person.", "cancelled");
}

/** Stops before the tenant's reserve of the daily quota, which is kept for the ISP's other integrations. */
async function keepQuotaReserve(context: SyncContext) {
  const quota = context.books.quota ?? (await storedQuota(context));
  if (!quota) return;
  const percent = context.settings.general.quotaReservePercent;
  const reserve = Math.ceil((quota.limit * percent) / 100);
  if (quota.remaining > reserve) return;
  const message = `Paused: ${quota.remaining} of Zoho's ${quota.limit} calls for today are left, and ${percent} % (${reserve}) is kept for the ISP's other integrations. The run goes on by itself after Zoho's daily reset (${quota.resetsAt.toISOString()}).`;
  throw new RunStop(message, "paused", quota.resetsAt);
}

async function storedQuota(context: SyncContext) {
  const usage = await zohoUsage(context.db, context.organizationId);
  if (
    usage.dailyLimit === null ||
    usage.dailyRemaining === null ||
    !usage.resetsAt ||
    usage.resetsAt.getTime() < Date.now()
  )
    return null;
  return { limit: usage.dailyLimit, remaining: usage.dailyRemaining, resetsAt: usage.resetsAt };
}

const countKey = (action: string): keyof RunCounts | null =>
  action === "adopted" ? "created" : action === "busy" || action === "warning" ? null : (action as keyof RunCounts);

/** Records Splynx sent that could not be read: a failed link where the id is known, a log entry either way. */
async function recordRejected(context: SyncContext, entity: SyncEntity, rejected: RejectedRecord[]) {
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
  }
}

/** Syncs first the records of another entity these need (an invoice's customer) that are not in Zoho yet. */
async function syncDependencies(
  context: SyncContext,
  adapter: EntityAdapter,
  records: SplynxRecord<ResourceName>[],
  counts: RunCounts,
) {
  for (const { entity, ids } of adapter.dependsOn ?? [])
    await syncDependency(context, entity, [...new Set(ids(records, context))], counts);
}

async function syncDependency(context: SyncContext, entity: SyncEntity, wanted: string[], counts: RunCounts) {
  if (wanted.length === 0) return;
  const links = await linksFor(context.db, { tenantId: context.tenantId, entity, splynxIds: wanted });
  const settled = (id: string) => {
    const link = links.get(id);
    return (
      link?.state === "skipped" ||
      link?.state === "held" ||
      (link?.state === "synced" && link.organizationId === context.organizationId)
    );
  };
  const missing = wanted.filter((id) => !settled(id));
  if (missing.length === 0) return;
  const done = await syncChosen(context, entity, missing);
  for (const key of Object.keys(counts) as (keyof RunCounts)[]) counts[key] += done.counts[key];
}

/** Syncs these records one by one; each is written with its link and log entry as it is handled. */
async function syncRecords(
  context: SyncContext,
  adapter: EntityAdapter,
  records: SplynxRecord<ResourceName>[],
  rejected: RejectedRecord[],
) {
  const counts = emptyCounts();
  const callsBefore = context.books.calls;
  const attemptId = randomUUID();
  const partial = () => ({ records: handled, counts, zohoCalls: context.books.calls - callsBefore });
  let handled = 0;
  try {
    await beat(context, true);
    await syncDependencies(context, adapter, records, counts);
    await adapter.beforePage?.(context, records);
    await recordRejected(context, adapter.entity, rejected);
    counts.failed += rejected.length;
    handled += rejected.length;
    const links = await linksFor(context.db, {
      tenantId: context.tenantId,
      entity: adapter.entity,
      splynxIds: records.map((record) => String((record as { id: number }).id)),
    });
    for (const record of records) {
      await beat(context);
      const link = links.get(String((record as { id: number }).id));
      const outcome = await syncRecord({
        context,
        adapter,
        record,
        link,
        attemptId,
        beforeZoho: () => keepQuotaReserve(context),
      });
      const key = countKey(outcome.action);
      if (key) counts[key]++;
      handled++;
    }
  } catch (error) {
    if (error instanceof RunStop) throw new PageStop(error, partial());
    throw error;
  }
  return partial();
}

/**
 * One page of the entity's records after `after`: a durable step of a run. The payments import reads Zoho, not
 * Splynx: its `after` is the last Zoho page read, and `importMode` says "New payments" (the default) or "All payments".
 */
export async function syncPage(
  context: SyncContext,
  entity: SyncEntity,
  input: { after: number; pageSize: number; importMode?: ImportMode },
): Promise<PageResult> {
  if (entity === IMPORT_ENTITY) {
    // A stop part-way through keeps what the page had counted, as for any entity.
    const counts = emptyCounts();
    const callsBefore = context.books.calls;
    try {
      return await syncImportPage(context, { after: input.after, mode: input.importMode }, counts);
    } catch (error) {
      if (error instanceof RunStop && !(error instanceof PageStop))
        throw new PageStop(error, {
          records: Object.values(counts).reduce((sum, count) => sum + count, 0),
          counts,
          zohoCalls: context.books.calls - callsBefore,
        });
      throw error;
    }
  }
  const adapter = requireAdapter(entity);
  const pages = context.splynx.pages(adapter.resource, { after: input.after, pageSize: input.pageSize });
  const first = await pages.next();
  await pages.return(undefined);
  const page: Page<ResourceName> | undefined = first.done ? undefined : first.value;
  if (!page || page.records.length + page.rejected.length === 0)
    return { lastId: null, records: 0, counts: emptyCounts(), zohoCalls: 0, done: true };
  const result = await syncRecords(context, adapter, page.records, page.rejected);
  return { ...result, lastId: page.lastId, done: page.lastId === null };
}

/** Chosen records of one entity (a person's "retry"), read one by one from Splynx. */
export async function syncChosen(context: SyncContext, entity: SyncEntity, splynxIds: string[]): Promise<PageResult> {
  // Import links are keyed by the Zoho payment id.
  if (entity === IMPORT_ENTITY) return importChosen(context, splynxIds);
  const adapter = requireAdapter(entity);
  const records: SplynxRecord<ResourceName>[] = [];
  const rejected: RejectedRecord[] = [];
  for (const id of splynxIds) {
    try {
      records.push(await context.splynx.get(adapter.resource, Number(id)));
    } catch (error) {
      rejected.push({
        id,
        field: "id",
        message: `Splynx could not give this record: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return { ...(await syncRecords(context, adapter, records, rejected)), lastId: null, done: true };
}

export async function countRecords(context: SyncContext, entity: SyncEntity): Promise<number> {
  // Zoho's payments are not counted in advance (it would spend Zoho calls).
  if (entity === IMPORT_ENTITY) return 0;
  return context.splynx.count(requireAdapter(entity).resource);
}

const SWEEP_BATCH = 100;

/** Keyset paging never revisits a record Splynx removed: the links of such records are found here, and voided in Zoho. */
async function sweepGone(context: SyncContext, adapter: EntityAdapter): Promise<void> {
  if (!adapter.retire) return;
  const attemptId = randomUUID();
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
    for (const splynxId of ids.filter((id) => !present.has(Number(id)))) {
      await beat(context);
      await retire(
        { context, adapter, attemptId, beforeZoho: () => keepQuotaReserve(context) },
        { splynxId, label: `Splynx ${adapter.entity.replace("_", " ")} ${splynxId}` },
        "Gone from Splynx.",
      );
    }
    after = ids.at(-1)!;
  }
}

/**
 * After an entity's last page: Zoho records of Splynx records that are gone are voided, and a warning is logged when
 * the run handled a different number than Splynx counts.
 */
export async function finishEntity(context: SyncContext, entity: SyncEntity, handled: number): Promise<void> {
  // Imported payments stay in Splynx whatever Zoho does later; nothing is swept or counted.
  if (entity === IMPORT_ENTITY) return;
  await sweepGone(context, requireAdapter(entity));
  const expected = await countRecords(context, entity);
  if (expected === handled) return;
  const message = `Splynx counts ${expected} ${entity.replace("_", " ")} records, and this run handled ${handled}: records added or removed during the run, or a listing Splynx cut short.`;
  await addEntries(context.db, {
    tenantId: context.tenantId,
    runId: context.runId,
    entries: [{ entity, splynxId: "-", action: "warning", message }],
  });
}

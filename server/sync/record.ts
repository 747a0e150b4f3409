// One Splynx record through the engine: decide, claim, look before creating, write to Zoho, link, and log (SPEC §6).
import {
  addEntries,
  claimLink,
  linkedZohoIds,
  recordIntent,
  writeLinkWithEntry,
  type ClaimedLink,
  type EntryInput,
  type Link,
  type LinkWrite,
} from "@/db/queries/sync";
import type { EntryAction, SyncEntity } from "@/db/schema";
import { DrizzleQueryError } from "drizzle-orm";
import { splynxIdOf, type ResourceName, type SplynxRecord } from "@/server/splynx/records";
import { ZohoError } from "@/server/zoho/errors";
import {
  RecordProblem,
  type EntityAdapter,
  type NaturalKey,
  type Prepared,
  type SyncContext,
  type ZohoFacts,
} from "./entity";
import { naturalKeyText } from "./concurrency";
import { fingerprintOf } from "./fingerprint";

/** Ends the run early and cleanly: the quota, the connection, a person's cancel, or a run ended elsewhere. */
export class RunStop extends Error {
  constructor(
    message: string,
    readonly status: "failed" | "cancelled" | "paused",
    readonly resumeAt?: Date,
  ) {
    super(message);
  }
}

/**
 * The stop a Zoho refusal means for the whole run, or null when it concerns one record: the daily quota (paused until
 * Zoho's reset), the connection refused, or the organization gone (every record would fail the same way).
 */
export function stopFor(error: unknown, context: SyncContext): RunStop | null {
  if (!(error instanceof ZohoError)) return null;
  if (error.kind === "daily_quota")
    return new RunStop(error.message, "paused", context.books.quota?.resetsAt ?? new Date(Date.now() + 3_600_000));
  if (error.kind === "unauthorized" || error.kind === "organization_gone") return new RunStop(error.message, "failed");
  return null;
}

/** What happened to one record; `busy` when another attempt holds it right now. */
export type Outcome = { action: EntryAction | "busy"; message?: string };

const DEFAULT_CLAIM_MS = 10 * 60_000;
/** The fingerprint of a link whose Zoho record was ended because Splynx deleted the record. */
const RETIRED = "retired";
const BACKOFF_BASE_MS = 15 * 60_000;
const BACKOFF_MAX_MS = 24 * 60 * 60_000;

/** After the first failure the next run tries again; after that the wait doubles from a quarter hour up to a day. */
export const retryAfterFailures = (failures: number, now = Date.now()): Date | null =>
  failures <= 1 ? null : new Date(now + Math.min(BACKOFF_BASE_MS * 2 ** (failures - 2), BACKOFF_MAX_MS));

export type RecordStep<R extends ResourceName> = {
  context: SyncContext;
  adapter: EntityAdapter<R>;
  record: SplynxRecord<R>;
  link: Link | undefined;
  attemptId: string;
  /** Called before the record spends Zoho calls: stops the run at the quota reserve. */
  beforeZoho: () => Promise<void>;
  /**
   * Waits until no other record of the page that holds one of these keys (its natural key, what it competes on) is
   * being written, and holds them until this one is: records competing for one Zoho record never go side by side.
   */
  exclusive?: (keys: string[]) => Promise<() => void>;
  /**
   * Waits until no other record of the page holds this Zoho record, and holds it until released. Taken only while
   * holding `exclusive`'s keys and never the other way round, so no two records wait on each other.
   */
  holdZoho?: (zohoId: string) => Promise<() => void>;
  /**
   * Where the link and entry of a record that spends no Zoho call go (skipped, not prepared, waiting to retry): the
   * page's batch, written with the others once its lanes are done. Without it they are written at once.
   */
  defer?: DeferWrite;
};

/** Takes a link write (null: none) and a log entry (null: none) to be written later. */
export type DeferWrite = (link: LinkWrite | null, entry: EntryInput | null) => void;

/** The first of these Zoho records no link holds once this record holds it (one beside it may just have linked it). */
type TakeFree = (zohoIds: string[]) => Promise<string | undefined>;

/** Holds found Zoho records for a record until it is finished (`held` are their releases). */
function takerFor<R extends ResourceName>(step: RecordStep<R>, held: (() => void)[]): TakeFree {
  const { context, adapter } = step;
  return async (zohoIds) => {
    for (const zohoId of zohoIds) {
      const release = await step.holdZoho?.(zohoId);
      const linked = await linkedZohoIds(context.db, {
        tenantId: context.tenantId,
        organizationId: context.organizationId,
        entity: adapter.entity,
        zohoIds: [zohoId],
      });
      if (!linked.has(zohoId)) {
        if (release) held.push(release);
        return zohoId;
      }
      release?.();
    }
    return undefined;
  };
}

const UNSAVED = "Ledgerlink could not save this record's result; it will be tried again.";

const linkedIn = (link: Link | null | undefined, organizationId: string) =>
  Boolean(link?.zohoId) && link!.organizationId === organizationId;

type Target = { splynxId: string; label: string };
type Finish = (
  write: Omit<LinkWrite, "tenantId" | "entity" | "splynxId" | "label"> | null,
  outcome: Outcome,
) => Promise<Outcome>;

/** Ends a record's handling: its link and its log entry written together (unchanged records write neither). */
function finisher(context: SyncContext, entity: SyncEntity, target: Target, defer?: DeferWrite): Finish {
  const base = { tenantId: context.tenantId, entity, ...target };
  return async (write, outcome) => {
    const entry: EntryInput | null =
      outcome.action === "unchanged"
        ? null
        : {
            entity,
            splynxId: target.splynxId,
            action: outcome.action === "busy" ? "warning" : outcome.action,
            message: outcome.message,
          };
    if (defer) defer(write && { ...base, ...write }, entry);
    else if (write) await writeLinkWithEntry(context.db, { link: { ...base, ...write }, runId: context.runId, entry });
    else if (entry)
      await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries: [entry] });
    return outcome;
  };
}

/** What a link keeps through any write: where its Zoho record is, and whether a person paired it. */
const kept = (current: Link | null | undefined) => ({
  zohoId: current?.zohoId ?? null,
  organizationId: current?.organizationId ?? null,
  manual: current?.manual ?? false,
});

export async function syncRecord<R extends ResourceName>(step: RecordStep<R>): Promise<Outcome> {
  const { context, adapter, record, link } = step;
  const target = { splynxId: splynxIdOf(record), label: adapter.label(record) };
  const splynxDetails = adapter.details?.(record);
  // Every write of the link carries what Records shows of the Splynx record, whatever the outcome.
  const withDetails =
    (written: Finish): Finish =>
    (write, outcome) =>
      written(
        write && splynxDetails
          ? { ...write, details: { ...link?.details, ...write.details, ...splynxDetails } }
          : write,
        outcome,
      );
  const finish = withDetails(finisher(context, adapter.entity, target));
  // Outcomes before any Zoho call go with the page's batch, when there is one.
  const settle = step.defer ? withDetails(finisher(context, adapter.entity, target, step.defer)) : finish;

  let prepared: Prepared;
  try {
    const eligibility = adapter.eligibility(record, context, linkedIn(link, context.organizationId));
    if (!eligibility.eligible) {
      if (
        eligibility.retire &&
        adapter.retire &&
        linkedIn(link, context.organizationId) &&
        link!.fingerprint !== RETIRED
      )
        return retire(step, target, eligibility.rule);
      // Skipped by the same rule last time: counted, but nothing is written again.
      if (link?.state === "skipped" && link.message === eligibility.rule)
        return { action: "skipped", message: eligibility.rule };
      return settle(
        { ...kept(link), state: "skipped", fingerprint: link?.fingerprint ?? null, message: eligibility.rule },
        { action: "skipped", message: eligibility.rule },
      );
    }
    prepared = adapter.prepare(record, context);
  } catch (error) {
    const message =
      error instanceof RecordProblem
        ? error.message
        : `Could not prepare the record: ${error instanceof Error ? error.message : String(error)}`;
    return settle({ ...kept(link), state: "failed", message }, { action: "failed", message });
  }

  const fingerprint = fingerprintOf(prepared.payload);
  if (linkedIn(link, context.organizationId) && link!.state === "synced" && link!.fingerprint === fingerprint)
    return { action: "unchanged" };
  if (
    link?.state === "failed" &&
    !context.retry &&
    link.fingerprint === fingerprint &&
    link.retryAfter &&
    link.retryAfter.getTime() > Date.now()
  ) {
    return settle(null, {
      action: "failed",
      message: `Not tried again before ${link.retryAfter.toISOString()} (failed ${link.failures} times in a row): ${link.message ?? ""}`,
    });
  }

  const competing = [naturalKeyText(prepared.key), ...(adapter.competesOn?.(record, prepared.key, context) ?? [])];
  const leave = await step.exclusive?.(competing);
  const held: (() => void)[] = [];
  try {
    return await claimAndWrite(step, target, prepared, fingerprint, finish, takerFor(step, held));
  } finally {
    for (const release of held) release();
    leave?.();
  }
}

/** Claims the record, then writes it to Zoho; a refusal fails the record, a stop for the whole run interrupts it. */
async function claimAndWrite<R extends ResourceName>(
  step: RecordStep<R>,
  target: Target,
  prepared: Prepared,
  fingerprint: string,
  finish: Finish,
  take: TakeFree,
): Promise<Outcome> {
  const { context, adapter } = step;
  await step.beforeZoho();
  const current = await claimLink(context.db, {
    tenantId: context.tenantId,
    entity: adapter.entity,
    ...target,
    claimId: step.attemptId,
    claimMs: context.claimMs ?? DEFAULT_CLAIM_MS,
  });
  if (!current)
    return finish(null, {
      action: "busy",
      message: "Another attempt is writing this record right now; it finishes it.",
    });
  const notes = prepared.notes.length ? ` ${prepared.notes.join(" ")}` : "";
  // A Zoho record this attempt created stays linked whatever happens after its create.
  const progress: { zohoId?: string } = {};
  const linkedNow = () => ({
    ...kept(current),
    ...(progress.zohoId ? { zohoId: progress.zohoId, organizationId: context.organizationId } : {}),
  });
  try {
    return await writeToZoho(step, current, prepared, fingerprint, finish, notes, progress, take);
  } catch (error) {
    const stop = stopFor(error, context);
    if (stop) {
      await finish(
        { ...linkedNow(), state: "pending", fingerprint: null, message: `Interrupted: ${stop.message}` },
        { action: "warning", message: `Interrupted: ${stop.message}` },
      );
      throw stop;
    }
    if (error instanceof RunStop) throw error;
    const message = failureMessage(error, adapter, target);
    const failures = current.failures + 1;
    // Refused outright (by Zoho, or by the adapter: a number another document holds), so this attempt created
    // nothing: nothing is looked up next time, and a document that only shares the key is never taken as ours.
    const refused =
      (error instanceof ZohoError && error.kind === "rejected") || error instanceof RecordProblem
        ? { intentKey: null }
        : {};
    return finish(
      {
        ...linkedNow(),
        ...refused,
        state: "failed",
        fingerprint,
        message,
        failures,
        retryAfter: retryAfterFailures(failures),
      },
      { action: "failed", message },
    );
  }
}

/** Zoho's or the adapter's words for a failed record; a database failure's (SQL, parameters) only reach the log. */
function failureMessage(error: unknown, adapter: EntityAdapter<ResourceName>, target: Target): string {
  if (error instanceof DrizzleQueryError) {
    console.error(`Could not save the result of ${adapter.entity} ${target.splynxId}:`, error);
    return UNSAVED;
  }
  const verbatim = error instanceof Error ? error.message : String(error);
  const hint = adapter.hintFor?.(verbatim);
  return hint ? `${verbatim} ${hint}` : verbatim;
}

/** The Zoho record of a record Splynx deleted, or no longer has, is ended (voided) once, and the link says so. */
export async function retire<R extends ResourceName>(
  step: Omit<RecordStep<R>, "record" | "link">,
  target: Target,
  rule: string,
): Promise<Outcome> {
  const { context, adapter } = step;
  await step.beforeZoho();
  const current = await claimLink(context.db, {
    tenantId: context.tenantId,
    entity: adapter.entity,
    ...target,
    claimId: step.attemptId,
    claimMs: context.claimMs ?? DEFAULT_CLAIM_MS,
  });
  const finish = finisher(context, adapter.entity, {
    splynxId: target.splynxId,
    label: current?.label ?? target.label,
  });
  if (!current)
    return finish(null, {
      action: "busy",
      message: "Another attempt is writing this record right now; it finishes it.",
    });
  if (!linkedIn(current, context.organizationId) || current.fingerprint === RETIRED)
    return finish(
      { ...kept(current), state: "skipped", fingerprint: current.fingerprint, message: rule },
      { action: "skipped", message: rule },
    );
  let done: string;
  try {
    done = await adapter.retire!(context, current.zohoId!);
  } catch (error) {
    const message = `${rule} Zoho refused to end its record: ${error instanceof Error ? error.message : String(error)}`;
    return finish(
      { ...kept(current), state: "failed", fingerprint: current.fingerprint, message },
      { action: "failed", message },
    );
  }
  const message = `${rule} ${done}`;
  return finish({ ...kept(current), state: "skipped", fingerprint: RETIRED, message }, { action: "updated", message });
}

/**
 * The Zoho records matching the record's key that no link holds; the one a record pairs with is held by it. One a
 * record beside it linked meanwhile is looked past, as a lookup after that record would.
 */
async function existingFree<R extends ResourceName>(step: RecordStep<R>, prepared: Prepared, take: TakeFree) {
  const { context, adapter } = step;
  const taken = new Set<string>();
  for (;;) {
    const found = await adapter.findExisting(context, prepared.key);
    const existing = { ...found, ids: found.ids.filter((id) => !taken.has(id)) };
    if (existing.ids.length !== 1 || context.settings.general.existingMatch !== "pair") return existing;
    if (await take(existing.ids)) return existing;
    taken.add(existing.ids[0]!);
  }
}

async function writeToZoho<R extends ResourceName>(
  step: RecordStep<R>,
  current: ClaimedLink,
  prepared: Prepared,
  fingerprint: string,
  finish: Finish,
  notes: string,
  progress: { zohoId?: string },
  take: TakeFree,
): Promise<Outcome> {
  const { context, adapter } = step;
  const organizationId = context.organizationId;
  let facts: ZohoFacts = { ...(current.details ?? {}) };
  // biome-ignore lint/suspicious/noConfusingVoidType: what adapters' steps return (see EntityAdapter.update).
  const learn = (answer: ZohoFacts | void) => {
    facts = { ...facts, ...answer };
  };
  const synced = (zohoId: string, manual = false) => ({
    state: "synced" as const,
    zohoId,
    organizationId,
    fingerprint,
    manual,
    details: { ...facts },
  });
  if (linkedIn(current, organizationId)) {
    if (current.state === "synced" && current.fingerprint === fingerprint)
      return finish(synced(current.zohoId!, current.manual), { action: "unchanged" });
    // Created by an attempt that stopped or failed before finishing (marking it sent): finished now, not created again.
    // Its intent stays until the link is first synced.
    const unfinished = current.intentKey !== null && adapter.finish !== undefined;
    // A person's pair has never been written by Ledgerlink: its first update keeps what the Zoho record has besides.
    const adopting = current.manual && current.fingerprint === null;
    if (!unfinished || current.fingerprint !== fingerprint)
      learn(await adapter.update(context, current.zohoId!, prepared.payload, adopting));
    if (unfinished)
      learn(await adapter.finish!(context, { splynxId: current.splynxId, zohoId: current.zohoId!, resumed: true }));
    return finish(synced(current.zohoId!, current.manual), { action: "updated", message: notes.trim() || undefined });
  }

  // An earlier create may have reached Zoho: look for what it sent, and for the record as it is now, before creating again.
  if (current.intentKey) {
    const keys: NaturalKey[] = [current.intentKey, prepared.key];
    const found = await adapter.findSent(context, keys);
    const held = await linkedZohoIds(context.db, {
      tenantId: context.tenantId,
      organizationId,
      entity: adapter.entity,
      zohoIds: found.ids,
    });
    const free = found.ids.filter((id) => !held.has(id));
    if (free.length > 1 && !found.strong)
      throw new Error(
        `${free.length} Zoho records carry what an interrupted create sent and nothing tells them apart; pair the right one by hand.`,
      );
    const adopted = await take(free);
    if (adopted) {
      progress.zohoId = adopted;
      learn(await adapter.update(context, adopted, prepared.payload, true));
      // What the interrupted attempt made may not be finished (marked sent): finish it, as a resumed attempt.
      if (adapter.finish)
        learn(await adapter.finish(context, { splynxId: current.splynxId, zohoId: adopted, resumed: true }));
      return finish(synced(adopted), {
        action: "adopted",
        message: `Found in Zoho after an interrupted create.${notes}`,
      });
    }
  } else if (!current.createConfirmed) {
    const existing = await existingFree(step, prepared, take);
    if (existing.ids.length === 1 && context.settings.general.existingMatch === "pair") {
      learn(await adapter.update(context, existing.ids[0]!, prepared.payload, true));
      // Paired, not created by Ledgerlink: shown and unpaired like a person's pair.
      return finish(synced(existing.ids[0]!, true), {
        action: "adopted",
        message: `Paired with Zoho record ${existing.ids[0]} that Zoho already held (${existing.reason}).${notes}`,
      });
    }
    if (existing.ids.length > 0) {
      const message =
        existing.ids.length === 1
          ? `Zoho already holds record ${existing.ids[0]} with the ${existing.reason}: review it on Pairing before it syncs.`
          : `Zoho already holds ${existing.ids.length} records with the ${existing.reason}: pair the right one on Pairing before it syncs.`;
      return finish(
        {
          state: "held",
          zohoId: null,
          organizationId,
          candidateId: existing.ids.length === 1 ? existing.ids[0]! : null,
          message,
        },
        { action: "held", message },
      );
    }
  }

  await context.crashPoint?.("before-intent");
  if (
    !(await recordIntent(context.db, {
      tenantId: context.tenantId,
      entity: adapter.entity,
      claim: current,
      intentKey: prepared.key,
    }))
  ) {
    return finish(null, { action: "busy", message: "Another attempt took this record over; it finishes it." });
  }
  await context.crashPoint?.("after-intent");
  const created = await adapter.create(context, prepared.payload);
  progress.zohoId = created.zohoId;
  learn(created.facts);
  const action = created.adopted ? ("adopted" as const) : ("created" as const);
  const message = [created.adopted, notes.trim()].filter(Boolean).join(" ") || undefined;
  if (!adapter.finish) {
    const outcome = await finish(synced(created.zohoId), { action, message });
    await context.crashPoint?.("after-link");
    return outcome;
  }
  // Linked before the steps that follow, so an interruption between them is finished, never created again.
  await writeLinkWithEntry(context.db, {
    link: {
      tenantId: context.tenantId,
      entity: adapter.entity,
      splynxId: current.splynxId,
      label: current.label,
      state: "pending",
      zohoId: created.zohoId,
      organizationId,
      fingerprint,
      message: "Created in Zoho; not finished yet.",
      details: { ...facts, ...adapter.details?.(step.record) },
      keepClaim: true,
    },
    runId: context.runId,
    entry: null,
  });
  await context.crashPoint?.("after-link");
  learn(
    await adapter.finish(context, {
      splynxId: current.splynxId,
      zohoId: created.zohoId,
      resumed: Boolean(created.adopted),
    }),
  );
  return finish(synced(created.zohoId), { action, message });
}

// One Splynx record through the engine: decide, claim, look before creating, write to Zoho, link, and log (SPEC §6).
import { addEntries, claimLink, linkedZohoIds, recordIntent, writeLinkWithEntry, type EntryInput, type Link, type LinkWrite } from "@/db/queries/sync";
import type { EntryAction } from "@/db/schema";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import { ZohoError } from "@/server/zoho/errors";
import type { EntityAdapter, NaturalKey, Prepared, SyncContext } from "./entity";
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

/** What happened to one record; `busy` when another attempt holds it right now. */
export type Outcome = { action: EntryAction | "busy"; message?: string };

const DEFAULT_CLAIM_MS = 10 * 60_000;
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
};

const linkedIn = (link: Link | null | undefined, organizationId: string) => Boolean(link?.zohoId) && link!.organizationId === organizationId;

export async function syncRecord<R extends ResourceName>(step: RecordStep<R>): Promise<Outcome> {
  const { context, adapter, record, link } = step;
  const splynxId = String((record as { id: number | string }).id);
  const base = { tenantId: context.tenantId, entity: adapter.entity, splynxId, label: adapter.label(record) };
  const finish = async (write: Omit<LinkWrite, keyof typeof base> | null, outcome: Outcome): Promise<Outcome> => {
    const entry: EntryInput | null = outcome.action === "unchanged" ? null : { entity: adapter.entity, splynxId, action: outcome.action === "busy" ? "warning" : outcome.action, message: outcome.message };
    if (write) await writeLinkWithEntry(context.db, { link: { ...base, ...write }, runId: context.runId, entry });
    else if (entry) await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries: [entry] });
    return outcome;
  };
  const kept = (current: Link | null | undefined) => ({ zohoId: current?.zohoId ?? null, organizationId: current?.organizationId ?? null, manual: current?.manual ?? false });

  let prepared: Prepared;
  try {
    const eligibility = adapter.eligibility(record, context, linkedIn(link, context.organizationId));
    if (!eligibility.eligible) return finish({ ...kept(link), state: "skipped", fingerprint: link?.fingerprint ?? null, message: eligibility.rule }, { action: "skipped", message: eligibility.rule });
    prepared = adapter.prepare(record, context);
  } catch (error) {
    const message = `Could not prepare the record: ${error instanceof Error ? error.message : String(error)}`;
    return finish({ ...kept(link), state: "failed", message }, { action: "failed", message });
  }
  const fingerprint = fingerprintOf(prepared.payload);
  if (linkedIn(link, context.organizationId) && link!.state === "synced" && link!.fingerprint === fingerprint) return { action: "unchanged" };
  if (link?.state === "failed" && !context.retry && link.fingerprint === fingerprint && link.retryAfter && link.retryAfter.getTime() > Date.now()) {
    return finish(null, { action: "failed", message: `Not tried again before ${link.retryAfter.toISOString()} (failed ${link.failures} times in a row): ${link.message ?? ""}` });
  }

  await step.beforeZoho();
  const current = await claimLink(context.db, { ...base, claimId: step.attemptId, claimMs: context.claimMs ?? DEFAULT_CLAIM_MS });
  if (!current) return finish(null, { action: "busy", message: "Another attempt is writing this record right now; it finishes it." });
  const notes = prepared.notes.length ? ` ${prepared.notes.join(" ")}` : "";
  try {
    return await writeToZoho(step, current, prepared, fingerprint, finish, notes);
  } catch (error) {
    if (error instanceof ZohoError && (error.kind === "daily_quota" || error.kind === "unauthorized")) {
      await finish({ ...kept(current), state: current.zohoId && current.state === "synced" ? "synced" : "pending", fingerprint: current.fingerprint, message: `Interrupted: ${error.message}` }, { action: "warning", message: `Interrupted: ${error.message}` });
      const resumeAt = error.kind === "daily_quota" ? (context.books.quota?.resetsAt ?? new Date(Date.now() + 3_600_000)) : undefined;
      throw new RunStop(error.message, error.kind === "daily_quota" ? "paused" : "failed", resumeAt);
    }
    if (error instanceof RunStop) throw error;
    const verbatim = error instanceof Error ? error.message : String(error);
    const hint = adapter.hintFor?.(verbatim);
    const message = hint ? `${verbatim} ${hint}` : verbatim;
    const failures = current.failures + 1;
    // Zoho refused outright, so nothing was created: no lookup is needed next time.
    const refused = error instanceof ZohoError && error.kind === "rejected" ? { intentKey: null } : {};
    return finish({ ...kept(current), ...refused, state: "failed", fingerprint, message, failures, retryAfter: retryAfterFailures(failures) }, { action: "failed", message });
  }
}

type Finish = (write: Omit<LinkWrite, "tenantId" | "entity" | "splynxId" | "label"> | null, outcome: Outcome) => Promise<Outcome>;

async function writeToZoho<R extends ResourceName>(step: RecordStep<R>, current: Link, prepared: Prepared, fingerprint: string, finish: Finish, notes: string): Promise<Outcome> {
  const { context, adapter } = step;
  const organizationId = context.organizationId;
  const synced = (zohoId: string, manual = false) => ({ state: "synced" as const, zohoId, organizationId, fingerprint, manual });
  if (linkedIn(current, organizationId)) {
    if (current.state === "synced" && current.fingerprint === fingerprint) return finish(synced(current.zohoId!, current.manual), { action: "unchanged" });
    await adapter.update(context, current.zohoId!, prepared.payload, false);
    return finish(synced(current.zohoId!, current.manual), { action: "updated", message: notes.trim() || undefined });
  }

  // An earlier create may have reached Zoho: look for what it sent, and for the record as it is now, before creating again.
  if (current.intentKey) {
    const keys: NaturalKey[] = [current.intentKey, prepared.key];
    const found = await adapter.findSent(context, keys);
    const held = await linkedZohoIds(context.db, { tenantId: context.tenantId, organizationId, entity: adapter.entity, zohoIds: found.ids });
    const free = found.ids.filter((id) => !held.has(id));
    if (free.length > 1 && !found.strong) throw new Error(`${free.length} Zoho records carry what an interrupted create sent and nothing tells them apart; pair the right one by hand.`);
    if (free[0]) {
      await adapter.update(context, free[0], prepared.payload, true);
      return finish(synced(free[0]), { action: "adopted", message: `Found in Zoho after an interrupted create.${notes}` });
    }
  } else if (!current.createConfirmed) {
    const existing = await adapter.findExisting(context, prepared.key);
    if (existing.ids.length === 1 && context.settings.general.existingMatch === "pair") {
      await adapter.update(context, existing.ids[0]!, prepared.payload, true);
      return finish(synced(existing.ids[0]!), { action: "adopted", message: `Paired with Zoho record ${existing.ids[0]} that Zoho already held (${existing.reason}).${notes}` });
    }
    if (existing.ids.length > 0) {
      const message = existing.ids.length === 1 ? `Zoho already holds record ${existing.ids[0]} with the ${existing.reason}: review it on Pairing before it syncs.` : `Zoho already holds ${existing.ids.length} records with the ${existing.reason}: pair the right one on Pairing before it syncs.`;
      return finish({ state: "held", zohoId: null, organizationId, candidateId: existing.ids.length === 1 ? existing.ids[0]! : null, message }, { action: "held", message });
    }
  }

  await context.crashPoint?.("before-intent");
  if (!(await recordIntent(context.db, { tenantId: context.tenantId, entity: adapter.entity, splynxId: current.splynxId, claimId: step.attemptId, intentKey: prepared.key }))) {
    return finish(null, { action: "busy", message: "Another attempt took this record over; it finishes it." });
  }
  await context.crashPoint?.("after-intent");
  const zohoId = await adapter.create(context, prepared.payload);
  const outcome = await finish(synced(zohoId), { action: "created", message: notes.trim() || undefined });
  await context.crashPoint?.("after-link");
  return outcome;
}

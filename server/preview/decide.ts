// What the next run would do with one Splynx record, decided as the engine decides (server/sync/record.ts) without
// writing to Zoho: the outcome is written as a link to the preview's scratch copy, so later records see it.
import { linkedZohoIds, writeLink, type Link } from "@/db/queries/sync";
import { compare } from "@/server/money";
import type { SyncEntity } from "@/db/schema";
import { RecordProblem, type EntityAdapter, type Prepared, type SyncContext } from "@/server/sync/entity";
import { fingerprintOf } from "@/server/sync/fingerprint";
import type { ResourceName, SplynxRecord } from "@/server/splynx/records";
import type { ZohoHoldings } from "./changes";

export const PREVIEW_ACTIONS = ["create", "update", "unchanged", "skip", "fail", "held"] as const;
export type PreviewAction = (typeof PREVIEW_ACTIONS)[number];
/** `retires`: the run would end the Zoho record (void, delete) of a record Splynx deleted or no longer has. */
export type Decision = { action: PreviewAction; message?: string; zohoId?: string | null; retires?: boolean };

/** The engine's mark on a link whose Zoho record it ended (voided). */
const RETIRED = "retired";

export const linkedIn = (link: Link | null | undefined, organizationId: string) =>
  Boolean(link?.zohoId) && link!.organizationId === organizationId;

/** The Zoho id a preview gives a record it would create, so its documents find their customer "in Zoho". */
export const previewZohoId = (entity: SyncEntity, splynxId: string) => `preview-${entity}-${splynxId}`;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export type DecideInput<R extends ResourceName> = {
  context: SyncContext;
  adapter: EntityAdapter<R>;
  record: SplynxRecord<R>;
  link: Link | undefined;
  holdings: ZohoHoldings;
  /** Names Zoho refuses a second time (when its duplicate-name preference is off), lower case; null when it allows them. */
  takenNames: Set<string> | null;
};

export async function decide<R extends ResourceName>(input: DecideInput<R>): Promise<Decision> {
  const { context, adapter, record, link } = input;
  const linked = linkedIn(link, context.organizationId);
  let prepared: Prepared;
  try {
    const eligibility = adapter.eligibility(record, context, linked);
    if (!eligibility.eligible) {
      if (eligibility.retire && adapter.retire && linked && link!.fingerprint !== RETIRED)
        return {
          action: "update",
          message: `${eligibility.rule} Its Zoho record would be ended.`,
          zohoId: link!.zohoId,
        };
      return { action: "skip", message: eligibility.rule };
    }
    prepared = adapter.prepare(record, context);
  } catch (error) {
    const message =
      error instanceof RecordProblem ? error.message : `Could not prepare the record: ${errorText(error)}`;
    return { action: "fail", message };
  }
  const fingerprint = fingerprintOf(prepared.payload);
  if (linked && link!.state === "synced" && link!.fingerprint === fingerprint)
    return { action: "unchanged", zohoId: link!.zohoId };
  if (link?.state === "failed" && link.fingerprint === fingerprint) {
    const when =
      !context.retry && link.retryAfter && link.retryAfter.getTime() > Date.now()
        ? `Not tried again before ${link.retryAfter.toISOString()}`
        : "Tried again with the same data";
    return { action: "fail", message: `${when}; it failed last time: ${link.message ?? ""}`.trim() };
  }
  if (linked) return updateDecision(input, link!, prepared);
  if (link?.intentKey)
    return { action: "create", message: "An interrupted create is looked up in Zoho first, then finished or made." };
  if (!link?.createConfirmed) {
    const existing = await adapter.findExisting(context, prepared.key);
    if (existing.ids.length === 1 && context.settings.general.existingMatch === "pair")
      return {
        action: "create",
        message: `Paired with Zoho record ${existing.ids[0]} that Zoho already holds (${existing.reason}).`,
        zohoId: existing.ids[0],
      };
    if (existing.ids.length > 0)
      return {
        action: "held",
        message: `Zoho already holds ${existing.ids.length === 1 ? `record ${existing.ids[0]}` : `${existing.ids.length} records`} with the ${existing.reason}: held for review on Pairing.`,
      };
  }
  const numbered = await numberTaken(input, prepared);
  if (numbered) return numbered;
  const name = adapter.entity === "customer" ? String(prepared.payload.contact_name).trim().toLowerCase() : null;
  if (name && input.takenNames?.has(name))
    return {
      action: "fail",
      message: `Zoho refuses a second contact named "${String(prepared.payload.contact_name)}" (this organization does not allow duplicate names).`,
    };
  if (name) input.takenNames?.add(name);
  return { action: "create", message: prepared.notes.join(" ") || undefined };
}

/**
 * A document whose number Zoho already holds: the run's create is refused and the holder looked up, then linked when it
 * is the same customer and total and no link holds it (zoho-documents.ts, adoptByNumber), else the record fails.
 */
async function numberTaken<R extends ResourceName>(
  input: DecideInput<R>,
  prepared: Prepared,
): Promise<Decision | null> {
  const { context, adapter } = input;
  const number = prepared.key.number;
  if (!number) return null;
  const found = await input.holdings.numbered(adapter.entity, number);
  if (!found) return null;
  const noun = adapter.entity === "invoice" ? "invoice" : "credit note";
  const id = String(found[adapter.entity === "invoice" ? "invoice_id" : "creditnote_id"]);
  const held = await linkedZohoIds(context.db, {
    tenantId: context.tenantId,
    organizationId: context.organizationId,
    entity: adapter.entity,
    zohoIds: [id],
  });
  const sameCustomer = String(found.customer_id) === String(prepared.payload.customer_id);
  const sameTotal = compare(String(found.total ?? ""), String(prepared.payload.splynx_total ?? "")) === 0;
  if (held.has(id) || !sameCustomer || !sameTotal)
    return {
      action: "fail",
      message: `Zoho ${noun} ${id} already holds number ${number} (customer ${String(found.customer_name ?? found.customer_id)}, total ${String(found.total)}), and it is not this ${noun}: renumber one of them.`,
    };
  return {
    action: "create",
    message: `Number ${number} is already in Zoho with the same customer and total: it would be linked to it.`,
    zohoId: id,
  };
}

async function updateDecision<R extends ResourceName>(
  input: DecideInput<R>,
  link: Link,
  prepared: Prepared,
): Promise<Decision> {
  const changes = await input.holdings.changes(input.adapter.entity, link.zohoId!, prepared.payload);
  const message =
    changes === null
      ? `Zoho no longer lists record ${link.zohoId}; the update would fail unless it is found again.`
      : changes.length > 0
        ? changes.join("; ")
        : "Changed in what Zoho's list does not show (lines, address or contact persons).";
  return { action: "update", message, zohoId: link.zohoId };
}

/** The link the run would leave, written to the scratch copy so records after it see it. */
export async function rememberDecision(
  context: SyncContext,
  entity: SyncEntity,
  target: { splynxId: string; label: string },
  link: Link | undefined,
  decision: Decision,
) {
  const base = { tenantId: context.tenantId, entity, ...target, organizationId: context.organizationId };
  const zohoId = link?.zohoId ?? null;
  // As the engine leaves an ended record: skipped, marked retired, so what needs it sees it gone.
  if (decision.retires)
    return writeLink(context.db, {
      ...base,
      zohoId,
      state: "skipped",
      fingerprint: RETIRED,
      message: decision.message,
    });
  if (decision.action === "create")
    return writeLink(context.db, {
      ...base,
      state: "synced",
      zohoId: decision.zohoId ?? previewZohoId(entity, target.splynxId),
    });
  if (decision.action === "skip")
    return writeLink(context.db, { ...base, zohoId, state: "skipped", message: decision.message });
  if (decision.action === "held") return writeLink(context.db, { ...base, zohoId: null, state: "held" });
  if (decision.action === "fail")
    return writeLink(context.db, { ...base, zohoId, state: "failed", message: decision.message });
}

// What every entity's run shares, whichever way its records travel: the flow a run drives, the page's tally written as
// it goes, and the guards between records (the lease, a person's cancel, the tenant's reserve of Zoho's quota).
import { cancelAskedHere, heartbeat } from "@/db/queries/runs";
import { zohoUsage } from "@/db/queries/zoho-limits";
import type { RunCounts } from "@/db/schema";
import type { DailyQuota } from "@/server/zoho/books";
import type { SyncContext } from "./entity";
import type { StepLimits } from "./read-ahead";
import { RunStop, stopFor } from "./record";

/** `done`: the entity has no records after this step's last page; `lastId` is that page's. */
export type PageResult = {
  lastId: number | null;
  records: number;
  counts: RunCounts;
  zohoCalls: number;
  done: boolean;
};
export type PageProgress = Omit<PageResult, "lastId" | "done">;
/** Where a step starts, its pages' size, and how many pages it may take (one unless said; see readAhead). */
export type StepInput = { after: number; pageSize: number; step?: StepLimits };

/**
 * How a run moves one entity: Splynx → Zoho through an adapter, or the payments import from Zoho. `after` is the
 * flow's own cursor (a Splynx id, a Zoho page number).
 */
export type EntityFlow = {
  /** Records the run will handle, for its progress; 0 where counting would cost Zoho calls. */
  count: (context: SyncContext) => Promise<number>;
  page: (context: SyncContext, input: StepInput) => Promise<PageResult>;
  /** Chosen records (a person's retry), by the ids their links are keyed by. */
  chosen: (context: SyncContext, ids: string[]) => Promise<PageResult>;
  /** After the entity's last page (sweeps, count checks); `handled` is what its pages handled. */
  finish: (context: SyncContext, handled: number) => Promise<void>;
};

export const emptyCounts = (): RunCounts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, held: 0 });

/** A stop part-way through a page, with what the page had done until then, so no count or call is lost. */
export class PageStop extends RunStop {
  constructor(
    stop: RunStop,
    readonly partial: PageProgress,
  ) {
    super(stop.message, stop.status, stop.resumeAt);
  }
}

const countKey = (action: string): keyof RunCounts | null =>
  action === "adopted" ? "created" : action === "busy" || action === "warning" ? null : (action as keyof RunCounts);

/**
 * A page's counts and Zoho calls, reported to the run as they grow (every heartbeat) so its progress moves. A tally of
 * records synced for another entity's sake (an invoice's customer) reports nothing: its counts go to the page's tally.
 */
export class PageTally {
  readonly counts = emptyCounts();
  records = 0;
  private readonly callsBefore: number;
  private reported: PageProgress = { records: 0, counts: emptyCounts(), zohoCalls: 0 };

  constructor(
    private readonly context: SyncContext,
    private readonly reports = true,
  ) {
    this.callsBefore = context.books.calls;
  }

  /** One record handled with this outcome ("busy" and "warning" are handled but counted nowhere). */
  handled(action: string) {
    this.counted(action);
    this.records++;
  }

  /** An outcome that counts in the run without being one of its records (a record voided by the sweep). */
  counted(action: string) {
    const key = countKey(action);
    if (key) this.counts[key]++;
  }

  add(counts: RunCounts) {
    for (const key of Object.keys(counts) as (keyof RunCounts)[]) this.counts[key] += counts[key];
  }

  progress(): PageProgress {
    return {
      records: this.records,
      counts: { ...this.counts },
      zohoCalls: this.context.books.calls - this.callsBefore,
    };
  }

  /** Reports what grew since the last report. */
  async report() {
    if (!this.reports || !this.context.reportProgress) return;
    const now = this.progress();
    const was = this.reported;
    const counts = emptyCounts();
    for (const key of Object.keys(counts) as (keyof RunCounts)[]) counts[key] = now.counts[key] - was.counts[key];
    this.reported = now;
    await this.context.reportProgress({
      records: now.records - was.records,
      counts,
      zohoCalls: now.zohoCalls - was.zohoCalls,
    });
  }

  /** Runs the page's work; then everything is reported, and a stop carries what the page had done. */
  async run(work: () => Promise<void>): Promise<PageProgress> {
    try {
      await work();
    } catch (thrown) {
      // A refusal for the whole run met outside any record (a page's lookups) stops it too, once, with its reason.
      const error = thrown instanceof RunStop ? thrown : stopFor(thrown, this.context);
      if (!error) throw thrown;
      await this.report();
      throw new PageStop(error, this.progress());
    }
    await this.report();
    return this.progress();
  }
}

const HEARTBEAT_MS = 5_000;
const CANCELLED = "Cancelled by a person.";
const lastBeat = new WeakMap<SyncContext, number>();

/**
 * Between records: renews the run's lease and reports the page's progress every few seconds, and stops the worker when
 * a person cancelled or the run ended elsewhere.
 */
export async function beat(context: SyncContext, tally: PageTally | null, force = false) {
  // On the embedded database and in-process simulators nothing else would get a turn of the event loop during a run.
  await new Promise((resolve) => setImmediate(resolve));
  if (cancelAskedHere(context.runId)) throw new RunStop(CANCELLED, "cancelled");
  if (!force && Date.now() - (lastBeat.get(context) ?? 0) < HEARTBEAT_MS) return;
  lastBeat.set(context, Date.now());
  const run = await heartbeat(context.db, { tenantId: context.tenantId, runId: context.runId });
  if (!run)
    throw new RunStop(
      "The run was ended while this worker was still on it (cancelled, or taken for lost); it stopped.",
      "failed",
    );
  if (run.cancelRequested) throw new RunStop(CANCELLED, "cancelled");
  await tally?.report();
}

/** The most Zoho calls one record spends (an invoice: create, total correction, mark sent), with room to spare. */
const CALLS_PER_RECORD = 4;
const reserveOf = (limit: number, percent: number) => Math.ceil((limit * percent) / 100);

/**
 * Records a page writes to Zoho at once: the organization's concurrency but one, which stays free for its other callers
 * (the portal's reads, a worker finishing what a dead one left while the dead one's slots lapse).
 */
export const writerLanes = (context: SyncContext): number => Math.max(1, context.books.concurrency - 1);

/**
 * How many records may write to Zoho at once now: all the lanes, but one at a time until the daily quota is known (from
 * this client's answers, or as the page found it stored) and once it nears the tenant's reserve, so records in flight
 * never carry the run past the reserve.
 */
export function writersAllowed(context: SyncContext): number {
  const quota = context.books.quota ?? quotaAtPageStart.get(context);
  const lanes = writerLanes(context);
  if (!quota) return 1;
  const reserve = reserveOf(quota.limit, context.settings.general.quotaReservePercent);
  return quota.remaining - reserve > lanes * CALLS_PER_RECORD ? lanes : 1;
}

/** Stops before the tenant's reserve of the daily quota, which is kept for the ISP's other integrations. */
export async function keepQuotaReserve(context: SyncContext) {
  const quota = context.books.quota ?? (await storedQuota(context));
  if (!quota) return;
  const percent = context.settings.general.quotaReservePercent;
  const reserve = reserveOf(quota.limit, percent);
  if (quota.remaining > reserve) return;
  const message =
    `Paused: ${quota.remaining} of Zoho's ${quota.limit} calls for today are left, and ${percent} % (${reserve}) ` +
    `is kept for the ISP's other integrations. The run goes on by itself after Zoho's daily reset ` +
    `(${quota.resetsAt.toISOString()}).`;
  throw new RunStop(message, "paused", quota.resetsAt);
}

const quotaAtPageStart = new WeakMap<SyncContext, DailyQuota>();

/**
 * The daily quota as stored when a page starts, so its records write side by side from the first (each step of a run
 * has a client of its own, which has had no answer from Zoho yet). Only for the lanes: the reserve is checked on what
 * is stored at each record until Zoho answers, as the limiter counts the quota down.
 */
export async function learnStoredQuota(context: SyncContext) {
  if (context.books.quota) return;
  const stored = await storedQuota(context);
  if (stored) quotaAtPageStart.set(context, stored);
}

async function storedQuota(context: SyncContext) {
  const usage = await zohoUsage(context.db, context.organizationId);
  if (usage.dailyLimit === null || usage.dailyRemaining === null || !usage.resetsAt) return null;
  if (usage.resetsAt.getTime() < Date.now()) return null;
  return { limit: usage.dailyLimit, remaining: usage.dailyRemaining, resetsAt: usage.resetsAt };
}

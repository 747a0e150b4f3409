// Keeps every worker's calls to one Zoho organization under its per-minute, concurrency and daily limits.
import type { Db } from "@/db/client";
import {
  markQuotaSpent,
  recordDailyQuota,
  releaseCallSlots,
  takeCallSlots,
  type LimitPolicy,
  type Slots,
} from "@/db/queries/zoho-limits";
import { ZohoError } from "./errors";

/** How long a Zoho call may take, its answer read, before Ledgerlink gives it up. */
export const ZOHO_CALL_TIMEOUT_MS = 30_000;

/**
 * Zoho's published limits; concurrency is the free plan's 5 unless the plan is known to allow 10. A slot's lease is
 * twice the longest a call can hold it: a worker that dies mid-call keeps its slots no longer than that.
 */
export const ZOHO_LIMITS: LimitPolicy = {
  perWindow: 100,
  windowMs: 60_000,
  concurrency: 5,
  leaseMs: 2 * ZOHO_CALL_TIMEOUT_MS,
  marginMs: 1_000,
};

export const concurrencyForPlan = (planName: string | undefined) =>
  planName && planName.toUpperCase() !== "FREE" ? 10 : 5;

const QUOTA_NOTE_MS = 1_000;

/** A test's clock; without one, calls are dated by the database's clock (one clock for every process). */
export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Waiter = { granted: (leaseId: string) => void; refused: (error: unknown) => void };
type Release = { leaseId: string; done: () => void };

/** One organization's callers in this process: those waiting for a slot, and finished calls' slots to hand back. */
class OrganizationQueue {
  readonly waiters: Waiter[] = [];
  releases: Release[] = [];
  /** A loop is taking slots for the waiters. */
  pumping = false;
  /** Its statement is on its way: releases arriving now ride on its next one, or are flushed after it. */
  taking = false;
  flushScheduled = false;
}

export class ZohoLimiter {
  /** Milliseconds spent waiting for a slot, for progress reports and benchmarks. */
  waitedMs = 0;
  private readonly quotaNotedAt = new Map<string, number>();
  private readonly queues = new Map<string, OrganizationQueue>();

  constructor(
    private readonly db: Db,
    private readonly policy: LimitPolicy = ZOHO_LIMITS,
    private readonly clock?: Clock,
  ) {}

  /** Calls to one organization Zoho lets run at once, under this policy. */
  get concurrency(): number {
    return this.policy.concurrency;
  }

  private now(): number {
    return this.clock?.now() ?? Date.now();
  }

  /** Runs `work` holding one call slot of the organization. */
  async run<T>(organizationId: string, work: () => Promise<T>): Promise<T> {
    const leaseId = await this.slot(organizationId);
    try {
      return await work();
    } finally {
      await this.release(organizationId, leaseId);
    }
  }

  private queueOf(organizationId: string): OrganizationQueue {
    const queue = this.queues.get(organizationId) ?? new OrganizationQueue();
    this.queues.set(organizationId, queue);
    return queue;
  }

  private slot(organizationId: string): Promise<string> {
    const queue = this.queueOf(organizationId);
    return new Promise<string>((granted, refused) => {
      queue.waiters.push({ granted, refused });
      if (queue.pumping) return;
      queue.pumping = true;
      // Started once this turn of the event loop is over, so callers arriving together share the first take.
      setImmediate(() => void this.pump(organizationId, queue));
    });
  }

  /**
   * Takes slots for every caller of this process waiting on the organization, as many at once as the limits allow, in
   * one statement that also hands back the slots finished meanwhile: while the organization is at its limit, one loop
   * waits on the database, not every record of a page.
   */
  private async pump(organizationId: string, queue: OrganizationQueue): Promise<void> {
    try {
      while (queue.waiters.length > 0) {
        const released = queue.releases.splice(0);
        queue.taking = true;
        let slots: Slots;
        try {
          slots = await takeCallSlots(this.db, {
            organizationId,
            wanted: queue.waiters.length,
            released: released.map((release) => release.leaseId),
            policy: this.policy,
            now: this.clock?.now() ?? null,
          });
        } catch (error) {
          queue.releases.unshift(...released);
          throw error;
        } finally {
          queue.taking = false;
        }
        for (const release of released) release.done();
        if (slots.quotaResetsAt) {
          const spent = new ZohoError(
            "daily_quota",
            `Zoho's daily API quota for this organization is spent; calls resume after ${slots.quotaResetsAt.toISOString()}.`,
          );
          for (const waiter of queue.waiters.splice(0)) waiter.refused(spent);
          return;
        }
        for (const leaseId of slots.leases) queue.waiters.shift()!.granted(leaseId);
        if (queue.waiters.length === 0 || slots.waitMs === null) continue;
        await this.flush(organizationId, queue);
        // A little jitter keeps workers that woke together from colliding again.
        const waitMs = slots.waitMs + Math.random() * 5;
        this.waitedMs += waitMs;
        await (this.clock ? this.clock.sleep(waitMs) : pause(waitMs));
      }
    } catch (error) {
      // Every waiter would have asked the same database: each fails its own call, none waits forever.
      for (const waiter of queue.waiters.splice(0)) waiter.refused(error);
    } finally {
      queue.pumping = false;
      await this.flush(organizationId, queue);
    }
  }

  /** Hands a finished call's slot back: on the next take when one is on its way, else with the others of this tick. */
  private release(organizationId: string, leaseId: string): Promise<void> {
    const queue = this.queueOf(organizationId);
    return new Promise<void>((done) => {
      queue.releases.push({ leaseId, done });
      if (queue.taking || queue.flushScheduled) return;
      queue.flushScheduled = true;
      setImmediate(() => {
        queue.flushScheduled = false;
        if (!queue.taking) void this.flush(organizationId, queue);
      });
    });
  }

  private async flush(organizationId: string, queue: OrganizationQueue): Promise<void> {
    const released = queue.releases.splice(0);
    if (released.length > 0) {
      try {
        await releaseCallSlots(
          this.db,
          released.map((release) => release.leaseId),
        );
      } catch (error) {
        // The call itself is done: its slot comes back when its lease runs out.
        console.error("Could not hand back Zoho call slots; their leases run out instead:", error);
      }
      for (const release of released) release.done();
    }
    const idle = !queue.pumping && queue.waiters.length === 0 && queue.releases.length === 0 && !queue.flushScheduled;
    if (idle && this.queues.get(organizationId) === queue) this.queues.delete(organizationId);
  }

  /**
   * Reads `X-Rate-Limit-Limit/Remaining/Reset` from a Zoho response and keeps them, at most once a second per
   * organization and limiter: each slot taken counts the stored quota down meanwhile, so a write per call adds nothing.
   */
  async noteQuota(organizationId: string, headers: Headers): Promise<void> {
    const limit = Number(headers.get("X-Rate-Limit-Limit"));
    const remaining = Number(headers.get("X-Rate-Limit-Remaining"));
    const reset = Number(headers.get("X-Rate-Limit-Reset"));
    if (!headers.has("X-Rate-Limit-Limit") || ![limit, remaining, reset].every(Number.isFinite)) return;
    const now = this.now();
    if (now < (this.quotaNotedAt.get(organizationId) ?? -Infinity) + QUOTA_NOTE_MS) return;
    this.quotaNotedAt.set(organizationId, now);
    // Organizations this process no longer calls are forgotten, so the map stays as small as the active ones.
    if (this.quotaNotedAt.size > 256)
      for (const [id, notedAt] of this.quotaNotedAt) if (now - notedAt >= QUOTA_NOTE_MS) this.quotaNotedAt.delete(id);
    await recordDailyQuota(this.db, {
      organizationId,
      limit,
      remaining,
      resetsAt: new Date(this.now() + reset * 1000),
    });
  }

  async quotaSpent(organizationId: string, resetSeconds: number | null): Promise<void> {
    const resetsAt = new Date(this.now() + (resetSeconds ?? 3600) * 1000);
    await markQuotaSpent(this.db, { organizationId, resetsAt });
  }
}

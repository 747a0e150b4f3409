// Keeps every worker's calls to one Zoho organization under its per-minute, concurrency and daily limits.
import type { Db } from "@/db/client";
import {
  markQuotaSpent,
  recordDailyQuota,
  releaseCallSlots,
  takeCallSlots,
  type FinishedCall,
  type LimitPolicy,
  type Slots,
} from "@/db/queries/zoho-limits";
import { DatabaseClockOffset, type OffsetBounds } from "./database-clock";
import { ZohoError } from "./errors";

/** How long a Zoho call may take, its answer read, before Ledgerlink gives it up. */
export const ZOHO_CALL_TIMEOUT_MS = 30_000;

/**
 * Zoho's published limits; concurrency is the free plan's 5 unless the plan is known to allow 10. A slot's lease is
 * twice the longest a call can hold it: a worker that dies mid-call keeps its slots no longer than that. The margin
 * (a second of the minute) covers how Zoho counts its minute, which it does not publish.
 */
export const ZOHO_LIMITS: LimitPolicy = {
  perWindow: 100,
  windowMs: 60_000,
  concurrency: 5,
  leaseMs: 2 * ZOHO_CALL_TIMEOUT_MS,
  marginMs: 1_000,
};

/**
 * The margin for a minute scaled down (the sandbox's, tests', benchmarks'): production's share of the window, in whole
 * milliseconds, as the database's functions take it.
 */
export const marginFor = (windowMs: number) => Math.ceil((windowMs * ZOHO_LIMITS.marginMs) / ZOHO_LIMITS.windowMs);

export const concurrencyForPlan = (planName: string | undefined) =>
  planName && planName.toUpperCase() !== "FREE" ? 10 : 5;

const QUOTA_NOTE_MS = 1_000;
const JITTER_MS = 5;
/** A finished call's slot waits for a take due this soon rather than take a statement of its own. */
const RIDE_MS = 50;
/** Slots the window frees this soon are granted ahead, their calls held until then (0028). */
const GRANT_AHEAD_MS = 2 * JITTER_MS;
/** The loop asks its next take this much ahead of the window freeing (its jitter included), to be granted ahead. */
const ASK_AHEAD_MS = JITTER_MS;

/** A test's clock; without one, calls are dated by the database's clock (one clock for every process). */
export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A granted slot: its lease, the instant (database's clock) its call may be sent from, and its take's bounds on that
 * clock's offset (DatabaseClockOffset).
 */
type Lease = { id: string; notBefore: number; offset: OffsetBounds };
type Waiter = { granted: (lease: Lease) => void; refused: (error: unknown) => void };

/** One organization's callers in this process: those waiting for a slot, and finished calls' slots to hand back. */
class OrganizationQueue {
  readonly waiters: Waiter[] = [];
  releases: FinishedCall[] = [];
  /** When the loop's pause ends and it takes again (this process's steady clock), while it pauses. */
  wakeAt: number | null = null;
  /** The loop, while it runs, and a hand-back on its way: what `settle` waits for. */
  pump: Promise<void> | null = null;
  flushing: Promise<void> | null = null;
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
  private readonly databaseClock = new DatabaseClockOffset();

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

  /** A steady clock for how long a slot is held: the test's, else one no change of the wall clock moves. */
  private instant(): number {
    return this.clock?.now() ?? performance.now();
  }

  /**
   * Runs `work` holding one call slot of the organization. The slot is handed back after `work` is done, not before
   * this returns: until then the call counts as in flight, which only errs on the safe side.
   */
  async run<T>(organizationId: string, work: () => Promise<T>): Promise<T> {
    const lease = await this.slot(organizationId);
    try {
      await this.sendable(lease);
      return await work();
    } finally {
      const now = this.instant();
      // Now in the database's clock, never early: the tightest upper bound on the offset at hand.
      const answeredAt = now + this.databaseClock.bounds(lease.offset, now).upper;
      this.release(organizationId, { leaseId: lease.id, answeredAt });
    }
  }

  /**
   * Holds a call granted ahead until its instant has come in the database's clock, by the offset's lower bound. A timer
   * can end early (Node dates it by its loop's last turn), so the instant is checked again; a test's clock that a pause
   * does not move counts the pause as the wait.
   */
  private async sendable(lease: Lease): Promise<void> {
    for (let now = this.instant(); ; ) {
      const early = lease.notBefore - (now + this.databaseClock.bounds(lease.offset, now).lower);
      if (early <= 0) return;
      await this.sleep(early);
      if (this.instant() === now) return;
      now = this.instant();
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.clock ? this.clock.sleep(ms) : pause(ms);
  }

  private queueOf(organizationId: string): OrganizationQueue {
    const queue = this.queues.get(organizationId) ?? new OrganizationQueue();
    this.queues.set(organizationId, queue);
    return queue;
  }

  private slot(organizationId: string): Promise<Lease> {
    const queue = this.queueOf(organizationId);
    return new Promise<Lease>((granted, refused) => {
      queue.waiters.push({ granted, refused });
      if (queue.pumping) return;
      queue.pumping = true;
      // Started once this turn of the event loop is over, so callers arriving together share the first take.
      setImmediate(() => {
        queue.pump = this.pump(organizationId, queue);
      });
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
        const askedAt = this.instant();
        let slots: Slots;
        try {
          slots = await takeCallSlots(this.db, {
            organizationId,
            wanted: queue.waiters.length,
            released,
            policy: this.policy,
            now: this.clock?.now() ?? null,
            aheadMs: GRANT_AHEAD_MS,
          });
        } catch (error) {
          queue.releases.unshift(...released);
          throw error;
        } finally {
          queue.taking = false;
        }
        if (slots.quotaResetsAt) {
          const spent = new ZohoError(
            "daily_quota",
            `Zoho's daily API quota for this organization is spent; calls resume after ${slots.quotaResetsAt.toISOString()}.`,
          );
          for (const waiter of queue.waiters.splice(0)) waiter.refused(spent);
          return;
        }
        const offset = this.databaseClock.observe(askedAt, slots.databaseNow, this.instant());
        for (const { id, notBefore } of slots.leases) queue.waiters.shift()!.granted({ id, notBefore, offset });
        if (queue.waiters.length === 0 || slots.waitMs === null) continue;
        // Waits end a little apart: organizations whose windows free at once (runs started together) wake spread out,
        // and a take that found nothing free (another process took it) stops colliding with it. A short wait, when
        // slots were just granted, grows by a twentieth at most.
        const spread = slots.leases.length === 0 ? JITTER_MS : Math.min(JITTER_MS, slots.waitMs / 20);
        // The wait ends at a time of the database's clock, in this process's by the tightest offset bound; where a slot
        // frees then, the next take is asked a little before and grants it ahead. Counted from the take's answer, it
        // would come a round trip late.
        const { upper } = this.databaseClock.bounds(offset, this.instant());
        const ahead = slots.windowFrees ? ASK_AHEAD_MS : 0;
        const wakeAt = slots.databaseNow + slots.waitMs - upper - ahead + Math.random() * spread;
        queue.wakeAt = wakeAt;
        try {
          if (wakeAt - this.instant() > RIDE_MS) await this.flush(organizationId, queue);
          // Counted after the hand-back, which took its own round trip.
          const waitMs = Math.max(0, wakeAt - this.instant());
          this.waitedMs += waitMs;
          await this.sleep(waitMs);
        } finally {
          queue.wakeAt = null;
        }
      }
    } catch (error) {
      // Every waiter would have asked the same database: each fails its own call, none waits forever.
      for (const waiter of queue.waiters.splice(0)) waiter.refused(error);
    } finally {
      queue.pumping = false;
      this.handBackSoon(organizationId, queue);
    }
  }

  /** Hands a finished call's slot back: on a take asked within RIDE_MS (the next caller's), else on its own. */
  private release(organizationId: string, call: FinishedCall): void {
    const queue = this.queueOf(organizationId);
    queue.releases.push(call);
    this.handBackSoon(organizationId, queue);
  }

  /**
   * The finished slots go back on the next take if one is on its way or asked within RIDE_MS, else in a statement of
   * their own then. Until then they count as in flight, which only errs on the safe side (their answers are dated).
   */
  private handBackSoon(organizationId: string, queue: OrganizationQueue): void {
    if (queue.releases.length === 0) {
      this.forgetIfIdle(organizationId, queue);
      return;
    }
    if (queue.flushScheduled || this.takeCarries(queue)) return;
    queue.flushScheduled = true;
    setTimeout(() => {
      queue.flushScheduled = false;
      if (!this.takeCarries(queue)) void this.flush(organizationId, queue);
    }, RIDE_MS);
  }

  /** Whether a take on its way, or the loop's next one due within RIDE_MS, will hand the finished slots back. */
  private takeCarries(queue: OrganizationQueue): boolean {
    if (queue.taking) return true;
    if (!queue.pumping) return false;
    return queue.wakeAt === null || queue.wakeAt - this.instant() <= RIDE_MS;
  }

  private async flush(organizationId: string, queue: OrganizationQueue): Promise<void> {
    const released = queue.releases.splice(0);
    if (released.length > 0) {
      const handing = releaseCallSlots(this.db, {
        organizationId,
        released,
        policy: this.policy,
        now: this.clock?.now() ?? null,
      }).catch((error) => {
        // The call itself is done: its slot comes back when its lease runs out.
        console.error("Could not hand back Zoho call slots; their leases run out instead:", error);
      });
      queue.flushing = handing;
      await handing;
      if (queue.flushing === handing) queue.flushing = null;
    }
    this.forgetIfIdle(organizationId, queue);
  }

  /** Drops an organization's queue with nothing left in it, so the map stays as small as the organizations called. */
  private forgetIfIdle(organizationId: string, queue: OrganizationQueue): void {
    const idle = !queue.pumping && queue.waiters.length === 0 && queue.releases.length === 0 && !queue.flushScheduled;
    if (idle && this.queues.get(organizationId) === queue) this.queues.delete(organizationId);
  }

  /** Hands back every finished call's slot still to go, and waits for those on their way: before closing the database. */
  async settle(): Promise<void> {
    for (const [organizationId, queue] of [...this.queues]) {
      await queue.pump;
      await queue.flushing;
      if (queue.releases.length > 0) await this.flush(organizationId, queue);
    }
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

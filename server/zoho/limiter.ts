// Keeps every worker's calls to one Zoho organization under its per-minute, concurrency and daily limits.
import type { Db } from "@/db/client";
import {
  markQuotaSpent,
  recordDailyQuota,
  releaseCallSlot,
  takeCallSlot,
  type LimitPolicy,
} from "@/db/queries/zoho-limits";
import { ZohoError } from "./errors";

/** Zoho's published limits; concurrency is the free plan's 5 unless the plan is known to allow 10. */
export const ZOHO_LIMITS: LimitPolicy = {
  perWindow: 100,
  windowMs: 60_000,
  concurrency: 5,
  leaseMs: 120_000,
  marginMs: 1_000,
};

export const concurrencyForPlan = (planName: string | undefined) =>
  planName && planName.toUpperCase() !== "FREE" ? 10 : 5;

const QUOTA_NOTE_MS = 1_000;

/** A test's clock; without one, calls are dated by the database's clock (one clock for every process). */
export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZohoLimiter {
  /** Milliseconds spent waiting for a slot, for progress reports and benchmarks. */
  waitedMs = 0;
  private readonly quotaNotedAt = new Map<string, number>();
  /** Per organization, the last caller's turn at taking a slot. */
  private readonly turns = new Map<string, Promise<void>>();

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
    const leaseId = await this.inTurn(organizationId);
    try {
      return await work();
    } finally {
      await releaseCallSlot(this.db, leaseId);
    }
  }

  /**
   * Callers of this limiter take slots of an organization one at a time (the database grants them one at a time
   * anyway): while the organization is at its limit, one of them waits on the database, not every record of a page.
   */
  private inTurn(organizationId: string): Promise<string> {
    const turn = (this.turns.get(organizationId) ?? Promise.resolve()).then(() => this.take(organizationId));
    this.turns.set(
      organizationId,
      turn.then(
        () => undefined,
        () => undefined,
      ),
    );
    return turn;
  }

  private async take(organizationId: string): Promise<string> {
    for (;;) {
      const now = this.clock?.now() ?? null;
      const decision = await takeCallSlot(this.db, { organizationId, policy: this.policy, now });
      if (decision.kind === "quota") {
        throw new ZohoError(
          "daily_quota",
          `Zoho's daily API quota for this organization is spent; calls resume after ${decision.resetsAt.toISOString()}.`,
        );
      }
      if (decision.kind === "granted") return decision.leaseId;
      // A little jitter keeps workers that woke together from colliding again.
      const waitMs = decision.waitMs + Math.random() * 5;
      this.waitedMs += waitMs;
      await (this.clock ? this.clock.sleep(waitMs) : pause(waitMs));
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

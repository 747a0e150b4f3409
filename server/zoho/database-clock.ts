// How far the database's clock is ahead of this process's steady clock, within bounds: what lets a worker date its
// calls' answers (never early) and send a call granted ahead (never before its instant) in the clock the limiter keeps
// Zoho's window by.

/** A take's bounds on the offset: it read the database's clock after it was asked and before it was answered. */
export type OffsetBounds = { upper: number; lower: number };

/**
 * Learns the bounds from the limiter's takes. A take asked at `askedAt` and answered at `answeredAt` (steady clock)
 * that read the database's clock as `databaseNow` puts the offset between `databaseNow - answeredAt` and
 * `databaseNow - askedAt`; the tightest seen are those of the takes that reached the database quickest and came back
 * quickest. Bounds older than two periods are forgotten, so a clock that drifts (or is slewed) moves them by no more
 * than it drifts in that time.
 */
export class DatabaseClockOffset {
  private current: OffsetBounds = { upper: Number.POSITIVE_INFINITY, lower: Number.NEGATIVE_INFINITY };
  private previous: OffsetBounds = this.current;
  private periodStartedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly periodMs = 1_000) {}

  /** Notes a take's reading; returns that take's own bounds. */
  observe(askedAt: number, databaseNow: number, answeredAt: number): OffsetBounds {
    const own = { upper: databaseNow - askedAt, lower: databaseNow - answeredAt };
    const age = answeredAt - this.periodStartedAt;
    if (age >= this.periodMs) {
      this.previous = age < 2 * this.periodMs ? this.current : own;
      this.current = own;
      this.periodStartedAt = answeredAt;
    }
    this.current = tightest(this.current, own);
    return own;
  }

  /** The tightest bounds learned lately, and never looser than `own` (a lease's own take's, always at hand). */
  bounds(own: OffsetBounds, at: number): OffsetBounds {
    const age = at - this.periodStartedAt;
    if (age >= 2 * this.periodMs) return own;
    if (age >= this.periodMs) return tightest(own, this.current);
    return tightest(tightest(own, this.current), this.previous);
  }
}

const tightest = (a: OffsetBounds, b: OffsetBounds): OffsetBounds => ({
  upper: Math.min(a.upper, b.upper),
  lower: Math.max(a.lower, b.lower),
});

// How far the database's clock is ahead of this process's steady clock, at most: what lets a worker date its calls'
// answers, and time its next take, in the clock the limiter keeps Zoho's window by.

/**
 * Learns the bound from the limiter's takes. A take asked at `askedAt` (steady clock) read the database's clock as
 * `databaseNow` after it was asked, so the offset is at most their difference; the smallest difference seen is the
 * tightest bound (the take that reached the database quickest). Bounds older than two periods are forgotten, so a
 * clock that drifts (or is slewed) moves the bound by no more than it drifts in that time.
 */
export class DatabaseClockOffset {
  private current = Number.POSITIVE_INFINITY;
  private previous = Number.POSITIVE_INFINITY;
  private periodStartedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly periodMs = 1_000) {}

  /** Notes a take's reading; returns that take's own bound. */
  observe(askedAt: number, databaseNow: number, at: number): number {
    const bound = databaseNow - askedAt;
    if (at - this.periodStartedAt >= this.periodMs) {
      this.previous = at - this.periodStartedAt < 2 * this.periodMs ? this.current : Number.POSITIVE_INFINITY;
      this.current = Number.POSITIVE_INFINITY;
      this.periodStartedAt = at;
    }
    this.current = Math.min(this.current, bound);
    return bound;
  }

  /** The tightest bound learned lately, and never looser than `own` (a lease's own take's, always at hand). */
  bound(own: number, at: number): number {
    const age = at - this.periodStartedAt;
    if (age >= 2 * this.periodMs) return own;
    if (age >= this.periodMs) return Math.min(own, this.current);
    return Math.min(own, this.current, this.previous);
  }
}

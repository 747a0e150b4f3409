// How far the database's clock is ahead of this process's steady clock, within bounds: what lets a worker date its
// calls' answers (never early) and send a call granted ahead (never before its instant) in the clock the limiter keeps
// Zoho's window by.

/** A take's bounds on the offset: it read the database's clock after it was asked and before it was answered. */
export type OffsetBounds = { upper: number; lower: number };

type Period = { index: number; bounds: OffsetBounds };

/**
 * Learns the bounds from the limiter's takes. A take asked at `askedAt` and answered at `answeredAt` (steady clock)
 * that read the database's clock as `databaseNow` puts the offset between `databaseNow - answeredAt` and
 * `databaseNow - askedAt`; the tightest seen are those of the takes that reached the database quickest and came back
 * quickest. Only takes of this period and the one before count (under two periods old), so a clock that drifts or is
 * slewed moves the bounds by no more than it drifts in that time; a take that contradicts them (a clock stepped, another
 * database server) starts afresh from its own.
 */
export class DatabaseClockOffset {
  private current: Period | null = null;
  private previous: Period | null = null;

  constructor(private readonly periodMs = 1_000) {}

  /** Notes a take's reading; returns that take's own bounds. */
  observe(askedAt: number, databaseNow: number, answeredAt: number): OffsetBounds {
    const own = { upper: databaseNow - askedAt, lower: databaseNow - answeredAt };
    const index = Math.floor(answeredAt / this.periodMs);
    if (contradict(this.learned(own, answeredAt))) [this.current, this.previous] = [null, null];
    if (this.current?.index !== index) {
      this.previous = this.current?.index === index - 1 ? this.current : null;
      this.current = { index, bounds: own };
    }
    this.current.bounds = tightest(this.current.bounds, own);
    return own;
  }

  /** The tightest bounds learned lately, and never looser than `own` (a lease's own take's, always at hand). */
  bounds(own: OffsetBounds, at: number): OffsetBounds {
    const learned = this.learned(own, at);
    // Bounds that contradict each other mean a clock stepped since: only the lease's own take is trusted.
    return contradict(learned) ? own : learned;
  }

  private learned(own: OffsetBounds, at: number): OffsetBounds {
    const index = Math.floor(at / this.periodMs);
    let bounds = own;
    for (const period of [this.current, this.previous])
      if (period && period.index >= index - 1) bounds = tightest(bounds, period.bounds);
    return bounds;
  }
}

const contradict = (bounds: OffsetBounds) => bounds.lower > bounds.upper;

const tightest = (a: OffsetBounds, b: OffsetBounds): OffsetBounds => ({
  upper: Math.min(a.upper, b.upper),
  lower: Math.max(a.lower, b.lower),
});

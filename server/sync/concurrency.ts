// Records of a step written side by side: a pool within Zoho's concurrency allowance, and a gate that keeps records
// competing for one Zoho record (one natural key, one e-mail, one invoice to apply to) one after the other.

/** How the lanes are held back: `width()` at most, asked again as an item finishes or `widens` settles. */
export type LaneOptions = { width?: () => number; widens?: Promise<unknown>; onFailure?: () => void };

/**
 * Runs `work` for every item in order, at most `lanes` at once, or fewer while `width()` says so (asked before each
 * item is pulled, and again by the lanes waiting once an item finishes or `widens` settles). Items may arrive as they
 * are made ready (an async source, pulled one at a time). After the first failure (`onFailure` is told) no item
 * starts; those running finish (their outcomes stand), the source is closed, and then the first failure is thrown.
 */
export async function forEachAtMost<T>(
  items: Iterable<T> | AsyncIterable<T>,
  lanes: number,
  work: (item: T) => Promise<void>,
  options: LaneOptions = {},
): Promise<void> {
  const { width = () => lanes, widens, onFailure } = options;
  const source = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let running = 0;
  let exhausted = false;
  // Written by the lanes; a holder keeps TypeScript from narrowing it to its first value.
  const failed: { first?: { error: unknown } } = {};
  const finished = new Set<() => void>();
  const oneFinished = () => new Promise<void>((resolve) => finished.add(resolve));
  const wakeWaiting = () => {
    for (const wake of finished) wake();
    finished.clear();
  };
  void widens?.then(wakeWaiting, wakeWaiting);
  const lane = async () => {
    while (!failed.first && !exhausted) {
      if (running >= Math.max(1, width())) {
        await oneFinished();
        continue;
      }
      // Counted from the pull: a lane waiting for the next item takes its place in the width.
      running++;
      try {
        const next = await source.next();
        if (next.done) exhausted = true;
        else if (!failed.first) await work(next.value);
      } catch (error) {
        if (!failed.first) onFailure?.();
        failed.first ??= { error };
      } finally {
        running--;
        wakeWaiting();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  } finally {
    await source.return?.();
  }
  if (failed.first) throw failed.first.error;
}

/** A natural key as one string, its parts in a fixed order and case-insensitive (Zoho compares names that way). */
export const naturalKeyText = (key: Record<string, string>): string =>
  `key:${JSON.stringify(
    Object.entries(key)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([part, value]) => [part, value.toLowerCase()]),
  )}`;

type Waiter = { keys: string[]; enter: () => void };

/**
 * Lets in at once only holders of disjoint keys. A holder takes all its keys together or waits, in arrival order, so
 * no two holders ever wait on each other.
 */
export class KeyGate {
  private readonly held = new Set<string>();
  private readonly waiting: Waiter[] = [];

  /** Waits until none of these keys is held or wanted by an earlier waiter; returns the release. */
  async enter(keys: string[]): Promise<() => void> {
    const wanted = new Set(this.waiting.flatMap((waiter) => waiter.keys));
    if (this.free(keys, wanted)) for (const key of keys) this.held.add(key);
    else await new Promise<void>((enter) => this.waiting.push({ keys, enter }));
    return () => this.leave(keys);
  }

  private free(keys: string[], wantedEarlier: Set<string>): boolean {
    return keys.every((key) => !this.held.has(key) && !wantedEarlier.has(key));
  }

  private leave(keys: string[]) {
    for (const key of keys) this.held.delete(key);
    const wanted = new Set<string>();
    for (const waiter of [...this.waiting]) {
      if (this.free(waiter.keys, wanted)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        for (const key of waiter.keys) this.held.add(key);
        waiter.enter();
      } else for (const key of waiter.keys) wanted.add(key);
    }
  }
}

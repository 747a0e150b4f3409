// A run's step of several pages: the next page is read, and made ready, while this one's records write, so the lanes
// go on into it instead of waiting at every page's end for a read, its links and its lookups.

/** How far one step goes: at most `pages` pages, and no next page once this one, at its pace, would end past `budgetMs`. */
export type StepLimits = { pages: number; budgetMs: number };

/**
 * A run's steps: each goes on into the next page while the pages end within 20 s. A page of Zoho writes at Zoho's real
 * pace takes minutes, so it is a step of its own; unchanged or skipped records pass many pages in a step.
 */
export const RUN_STEP: StepLimits = { pages: 25, budgetMs: 20_000 };

/** Where a step ended: after the page with `lastId` (null: no page); `done` when no page came after it. */
export type StepEnd = { lastId: number | null; done: boolean };

/** What a step does with its later pages. */
export type LaterPages<P, T> = {
  read: () => Promise<P | null>;
  /** Makes a page ready to write (its items); nothing it does may count in the step or write to Zoho. */
  ready: (page: P) => Promise<T[]>;
  /** Whether `ready` may run while the page before still writes; else it runs when the page's turn comes. */
  readyAhead: boolean;
  /** When a page's turn comes, before its first item (what counts in the step). */
  begin: (page: P) => Promise<void>;
  /**
   * Whether a failure reading or readying a later page only ends the step before it: the next step reads it again, and
   * fails there if it must, while the pages done keep their step. Otherwise (a stop for the whole run) it is thrown.
   */
  endsStep: (error: unknown) => boolean;
};

/**
 * The items of the step's pages in order, from `first` on (made ready and begun before: its lanes open with it). Once
 * half of a page's items are pulled, the next page is read (and made ready, when `readyAhead`) meanwhile if the step
 * goes on: it has had fewer pages than its limit, and this page, at its pace so far, ends within the budget. After
 * `close()` (the step failed) no page is started; closing the items waits for a page on its way. `end` says where the
 * step ended once the items are exhausted.
 */
export function readAhead<P extends { lastId: number | null }, T>(
  first: { page: P; items: T[] },
  later: LaterPages<P, T>,
  limits: StepLimits,
  now: () => number = () => performance.now(),
): { items: AsyncGenerator<T>; end: StepEnd; close: () => void } {
  const end: StepEnd = { lastId: null, done: false };
  const started = now();
  let closed = false;
  type Next = { page: P; items: T[] | null } | null;
  const readNext = async (): Promise<Next> => {
    const page = await later.read();
    return page && { page, items: later.readyAhead ? await later.ready(page) : null };
  };
  /** The next page begun, or why there is none: "no more" (the listing ended) or "left" (for the next step). */
  const turnOf = async (next: Promise<Next>): Promise<{ page: P; items: T[] } | "no more" | "left"> => {
    try {
      const found = await next;
      if (!found) return "no more";
      const items = found.items ?? (await later.ready(found.page));
      await later.begin(found.page);
      return { page: found.page, items };
    } catch (error) {
      if (!later.endsStep(error)) throw error;
      return "left";
    }
  };
  async function* items(): AsyncGenerator<T> {
    let ahead: Promise<Next> | null = null;
    try {
      for (let pages = 1, current = first; ; pages++) {
        const { page, items } = current;
        // Nothing can be read past a page without a readable id.
        const more = page.lastId !== null && pages < limits.pages;
        const half = Math.floor(items.length / 2);
        // Its first item is being pulled: the page's pace is measured from here.
        const pageStarted = now();
        for (let index = 0; index <= items.length; index++) {
          if (index === half && more && !closed && 2 * now() - pageStarted - started < limits.budgetMs) {
            ahead = readNext();
            // Handled where it is awaited; until then its failure must not count as unhandled.
            ahead.catch(() => {});
          }
          if (index < items.length) yield items[index]!;
        }
        end.lastId = page.lastId;
        end.done = page.lastId === null;
        if (!ahead || closed) return;
        const turn = await turnOf(ahead);
        ahead = null;
        if (turn === "left") return;
        end.done = turn === "no more";
        if (turn === "no more") return;
        current = turn;
      }
    } finally {
      await ahead?.catch(() => {});
    }
  }
  return { items: items(), end, close: () => (closed = true) };
}

// A run's step of several pages: the next page is read and made ready while this one's records write, so the lanes
// go on into it instead of waiting at every page's end for a read, its links and its lookups.

/** How far one step goes: at most `pages` pages, and no page started once it would end past `budgetMs`. */
export type StepLimits = { pages: number; budgetMs: number };

/**
 * A run's steps: each goes on into the next page while the pages end within 20 s. A page of Zoho writes at Zoho's real
 * pace takes minutes, so it is a step of its own; unchanged or skipped records pass many pages in a step.
 */
export const RUN_STEP: StepLimits = { pages: 25, budgetMs: 20_000 };

/** Where a step ended: after the page with `lastId` (null: no page); `done` when no page came after it. */
export type StepEnd = { lastId: number | null; done: boolean };

/**
 * The items of the step's pages in order, from `first` on (made ready before: its records' lanes open with it). Once half of a page's items are pulled, the next page is
 * read and made ready meanwhile when the step goes on: it has had fewer pages than its limit, and this page, at its pace
 * so far, ends within the budget (at Zoho's real pace a page takes minutes, and the step ends with it). A page is made
 * ready (`ready`) only as its turn comes or while the one before writes, never after the step's end; closing the items
 * early waits for a page on its way. `end` says where the step ended once the items are exhausted.
 */
export function readAhead<P extends { lastId: number | null }, T>(
  first: { page: P; items: T[] },
  read: () => Promise<P | null>,
  ready: (page: P) => Promise<T[]>,
  limits: StepLimits,
  now: () => number = () => performance.now(),
): { items: AsyncGenerator<T>; end: StepEnd } {
  const end: StepEnd = { lastId: null, done: false };
  const started = now();
  const readyNext = async () => {
    const page = await read();
    return page && { page, items: await ready(page) };
  };
  async function* items(): AsyncGenerator<T> {
    let ahead: ReturnType<typeof readyNext> | null = null;
    try {
      let current: { page: P; items: T[] } | null = first;
      for (let pages = 1; current; pages++) {
        const { page, items } = current;
        // Nothing can be read past a page without a readable id.
        const more = page.lastId !== null && pages < limits.pages;
        const half = Math.floor(items.length / 2);
        // Its first item is being pulled: the page's pace is measured from here.
        const pageStarted = now();
        for (let index = 0; index <= items.length; index++) {
          if (index === half && more && 2 * now() - pageStarted - started < limits.budgetMs) {
            ahead = readyNext();
            // Handled where it is awaited; until then its failure must not count as unhandled.
            ahead.catch(() => {});
          }
          if (index < items.length) yield items[index]!;
        }
        end.lastId = page.lastId;
        end.done = page.lastId === null;
        if (!ahead) return;
        current = await ahead;
        ahead = null;
        end.done = current === null;
      }
    } finally {
      await ahead?.catch(() => {});
    }
  }
  return { items: items(), end };
}

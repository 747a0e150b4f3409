import { describe, expect, it } from "vitest";
import { readAhead, type StepLimits } from "./read-ahead";

type Page = { lastId: number | null; ids: number[] };
const page = (...ids: number[]): Page => ({ lastId: ids.at(-1) ?? null, ids });

/** Pages read in turn from a list, on a clock the test moves: what was read, and when. */
function source(pages: Page[], limits: StepLimits, msPerItem = 0) {
  let clock = 0;
  const reads: { at: number; page: number }[] = [];
  let next = 1;
  const read = async () => {
    const found = pages[next] ?? null;
    reads.push({ at: clock, page: next++ });
    return found;
  };
  const ready = async (found: Page) => found.ids;
  const ahead = readAhead({ page: pages[0]!, items: pages[0]!.ids }, read, ready, limits, () => clock);
  const pull = async () => {
    const pulled: number[] = [];
    for await (const id of ahead.items) {
      pulled.push(id);
      clock += msPerItem;
    }
    return pulled;
  };
  return { reads, pull, end: ahead.end };
}

describe("a step's pages read ahead", () => {
  it("reads the next page once half of this one is pulled, and ends where the listing does", async () => {
    const steps = source([page(1, 2, 3, 4), page(5, 6, 7, 8), page(9)], { pages: 10, budgetMs: 1_000 }, 1);

    expect(await steps.pull()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Half of the first page pulled (two items, 2 ms), then half of the second; the third page's half is its start.
    expect(steps.reads).toEqual([
      { at: 2, page: 1 },
      { at: 6, page: 2 },
      { at: 8, page: 3 },
    ]);
    expect(steps.end).toEqual({ lastId: 9, done: true });
  });

  it("reads nothing ahead when this page, at its pace, would end past the budget: the step ends with it", async () => {
    const steps = source([page(1, 2, 3, 4), page(5, 6)], { pages: 10, budgetMs: 7 }, 2);

    expect(await steps.pull()).toEqual([1, 2, 3, 4]);
    // Half the page took 4 ms: the whole would end at 8 ms, past the budget.
    expect(steps.reads).toEqual([]);
    expect(steps.end).toEqual({ lastId: 4, done: false });
  });

  it("takes no more pages than its limit", async () => {
    const steps = source([page(1, 2), page(3, 4), page(5, 6)], { pages: 2, budgetMs: 1_000 });

    expect(await steps.pull()).toEqual([1, 2, 3, 4]);
    expect(steps.reads.map((read) => read.page)).toEqual([1]);
    expect(steps.end).toEqual({ lastId: 4, done: false });
  });

  it("reads nothing past a page without a readable id, and says the listing is done", async () => {
    const steps = source([{ lastId: null, ids: [1, 2] }, page(3)], { pages: 10, budgetMs: 1_000 });

    expect(await steps.pull()).toEqual([1, 2]);
    expect(steps.reads).toEqual([]);
    expect(steps.end).toEqual({ lastId: null, done: true });
  });

  it("gives a failed read ahead only when its turn comes, after this page's items", async () => {
    const pulled: number[] = [];
    const read = async () => {
      throw new Error("Splynx is down");
    };
    const ahead = readAhead({ page: page(1, 2), items: [1, 2] }, read, async () => [], { pages: 5, budgetMs: 1_000 });

    await expect(
      (async () => {
        for await (const id of ahead.items) pulled.push(id);
      })(),
    ).rejects.toThrow("Splynx is down");
    expect(pulled).toEqual([1, 2]);
  });

  it("waits for the page on its way when the items are closed early", async () => {
    let finishReady = () => {};
    let readied = false;
    const ready = () =>
      new Promise<number[]>((resolve) => {
        finishReady = () => {
          readied = true;
          resolve([3]);
        };
      });
    const ahead = readAhead({ page: page(1, 2), items: [1, 2] }, async () => page(3), ready, {
      pages: 5,
      budgetMs: 1_000,
    });

    await ahead.items.next();
    await ahead.items.next();
    // The second item pulled is past half: the next page is on its way, and closing the items waits for it.
    const closed = ahead.items.return(undefined);
    setTimeout(finishReady, 20);
    await closed;
    expect(readied).toBe(true);
  });
});

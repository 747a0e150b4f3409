import { describe, expect, it } from "vitest";
import { type LaterPages, readAhead, type StepLimits } from "./read-ahead";

type Page = { lastId: number | null; ids: number[] };
const page = (...ids: number[]): Page => ({ lastId: ids.at(-1) ?? null, ids });

/** Pages read in turn from a list, on a clock the test moves: what was read, made ready and begun, and when. */
function source(pages: Page[], limits: StepLimits, msPerItem = 0, options: Partial<LaterPages<Page, number>> = {}) {
  let clock = 0;
  const reads: { at: number; page: number }[] = [];
  const events: string[] = [];
  let next = 1;
  const later: LaterPages<Page, number> = {
    read: async () => {
      const found = pages[next] ?? null;
      reads.push({ at: clock, page: next++ });
      return found;
    },
    ready: async (found) => {
      events.push(`ready ${found.ids[0]}`);
      return found.ids;
    },
    readyAhead: true,
    begin: async (found) => {
      events.push(`begin ${found.ids[0]}`);
    },
    endsStep: () => false,
    ...options,
  };
  const ahead = readAhead({ page: pages[0]!, items: pages[0]!.ids }, later, limits, () => clock);
  const pull = async () => {
    const pulled: number[] = [];
    for await (const id of ahead.items) {
      pulled.push(id);
      events.push(`pulled ${id}`);
      clock += msPerItem;
    }
    return pulled;
  };
  return { reads, events, pull, ahead };
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
    expect(steps.ahead.end).toEqual({ lastId: 9, done: true });
  });

  it("reads nothing ahead when this page, at its pace, would end past the budget: the step ends with it", async () => {
    const steps = source([page(1, 2, 3, 4), page(5, 6)], { pages: 10, budgetMs: 7 }, 2);

    expect(await steps.pull()).toEqual([1, 2, 3, 4]);
    // Half the page took 4 ms: the whole would end at 8 ms, past the budget.
    expect(steps.reads).toEqual([]);
    expect(steps.ahead.end).toEqual({ lastId: 4, done: false });
  });

  it("takes no more pages than its limit", async () => {
    const steps = source([page(1, 2), page(3, 4), page(5, 6)], { pages: 2, budgetMs: 1_000 });

    expect(await steps.pull()).toEqual([1, 2, 3, 4]);
    expect(steps.reads.map((read) => read.page)).toEqual([1]);
    expect(steps.ahead.end).toEqual({ lastId: 4, done: false });
  });

  it("reads nothing past a page without a readable id, and says the listing is done", async () => {
    const steps = source([{ lastId: null, ids: [1, 2] }, page(3)], { pages: 10, budgetMs: 1_000 });

    expect(await steps.pull()).toEqual([1, 2]);
    expect(steps.reads).toEqual([]);
    expect(steps.ahead.end).toEqual({ lastId: null, done: true });
  });

  it("makes a page ready as it is read, and begins it when its turn comes", async () => {
    const steps = source([page(1, 2), page(3, 4)], { pages: 10, budgetMs: 1_000 });

    await steps.pull();
    expect(steps.events).toEqual(["pulled 1", "ready 3", "pulled 2", "begin 3", "pulled 3", "pulled 4"]);
  });

  it("makes a page ready only when its turn comes when it may not be made ready ahead", async () => {
    const steps = source([page(1, 2), page(3, 4)], { pages: 10, budgetMs: 1_000 }, 0, { readyAhead: false });

    await steps.pull();
    expect(steps.events).toEqual(["pulled 1", "pulled 2", "ready 3", "begin 3", "pulled 3", "pulled 4"]);
  });

  it("ends the step before a later page it could not read, after this page's items", async () => {
    const steps = source([page(1, 2), page(3, 4)], { pages: 10, budgetMs: 1_000 }, 0, {
      read: async () => {
        throw new Error("Splynx answered 502");
      },
      endsStep: () => true,
    });

    expect(await steps.pull()).toEqual([1, 2]);
    expect(steps.ahead.end).toEqual({ lastId: 2, done: false });
  });

  it("throws what stops the run, met on a later page, once this page's items are pulled", async () => {
    const steps = source([page(1, 2), page(3, 4)], { pages: 10, budgetMs: 1_000 }, 0, {
      ready: async () => {
        throw new Error("the organization is gone");
      },
    });
    const pulled: number[] = [];

    await expect(
      (async () => {
        for await (const id of steps.ahead.items) pulled.push(id);
      })(),
    ).rejects.toThrow("the organization is gone");
    expect(pulled).toEqual([1, 2]);
  });

  it("starts no page once closed", async () => {
    const steps = source([page(1, 2, 3, 4), page(5)], { pages: 10, budgetMs: 1_000 });

    await steps.ahead.items.next();
    steps.ahead.close();
    const rest: number[] = [];
    for await (const id of steps.ahead.items) rest.push(id);
    expect(rest).toEqual([2, 3, 4]);
    expect(steps.reads).toEqual([]);
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
    const steps = source([page(1, 2), page(3)], { pages: 5, budgetMs: 1_000 }, 0, { ready });

    await steps.ahead.items.next();
    await steps.ahead.items.next();
    // The second item pulled is past half: the next page is on its way, and closing the items waits for it.
    const closed = steps.ahead.items.return(undefined);
    setTimeout(finishReady, 20);
    await closed;
    expect(readied).toBe(true);
  });
});

// Barriers for race tests on PostgreSQL: hold one transaction where it stands and know when another waits on its lock,
// so an interleaving is certain rather than likely.
import { sql } from "drizzle-orm";
import type { Db } from "../client";

/** A promise the test opens when it chooses. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Tracks whether a promise has settled, without changing what it resolves or rejects with. */
export function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  const watched = promise.finally(() => (done = true));
  // The caller awaits `promise`; this keeps an early rejection from being reported as unhandled meanwhile.
  watched.catch(() => {});
  return { promise: watched, settled: () => done };
}

/**
 * Waits until a session of this database waits for a lock ("blocked"), or until `settled` says the racing work
 * finished without ever waiting ("settled": nothing held it back, which is what a missing lock looks like).
 */
export async function blockedOnLock(
  db: Db,
  settled: () => boolean,
  timeoutMs = 10_000,
): Promise<"blocked" | "settled"> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = (await db.execute(
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    )) as unknown as { waiting: number }[];
    if (row!.waiting > 0) return "blocked";
    if (settled()) return "settled";
    if (Date.now() > deadline)
      throw new Error(`Nothing waited for a lock within ${timeoutMs} ms, and the racing work had not finished either.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

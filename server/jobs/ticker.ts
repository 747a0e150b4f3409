// The in-process stand-in for an Inngest cron (embedded default, no Inngest server): a job run every interval.
import { inngestConfigured } from "./client";

type Holder = { ledgerlinkTickers?: Map<string, NodeJS.Timeout> };
// Next.js loads instrumentation and route handlers as separate bundles of one process: one ticker per job via globalThis.
const holder = globalThis as Holder;
holder.ledgerlinkTickers ??= new Map();
const tickers = holder.ledgerlinkTickers;

/**
 * Runs `work` every `everyMs` in this process, once per `job` however often it is started, and not at all when Inngest
 * runs the job's cron. A failed tick is logged as "<job> failed" and the next one runs as planned.
 */
export function startInProcessTicker(job: string, everyMs: number, work: () => Promise<unknown>): void {
  if (inngestConfigured() || tickers.has(job)) return;
  const tick = () => void work().catch((error: unknown) => console.error(`${job} failed:`, error));
  // A ticker never keeps the process alive on its own.
  tickers.set(job, setInterval(tick, everyMs).unref());
}

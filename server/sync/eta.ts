// How long the rest of a run will take, from Zoho's limits: the Zoho calls per record seen so far in this run times the
// records left, spent at the per-minute limit, and over several days when today's quota (less the reserve) runs out.

export type EtaInput = {
  done: number;
  total: number | null;
  zohoCalls: number;
  /** Zoho's per-minute limit and how long its minute lasts (the sandbox's may be shorter). */
  perMinute: number;
  minuteMs: number;
  /** The organization's daily quota and what is left of it today; null while Zoho has not said. */
  dailyLimit: number | null;
  dailyRemaining: number | null;
  /** The share of the daily quota kept for the ISP's other integrations. */
  reservePercent: number;
};

/** `tomorrow`: the run needs more than what is left of today's quota, so it pauses and goes on after the reset. */
export type Eta = { text: string; tomorrow: boolean };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const count = (value: number) => value.toLocaleString("en-US");

function durationText(ms: number): string {
  if (ms < MINUTE_MS) return "under a minute";
  if (ms < 90 * MINUTE_MS) {
    const minutes = Math.round(ms / MINUTE_MS);
    return minutes === 1 ? "about 1 minute" : `about ${minutes} minutes`;
  }
  return `about ${Math.round(ms / HOUR_MS)} hours`;
}

/** The reserve the engine keeps: it pauses a run once only this much of the day's quota is left. */
export const quotaReserve = (dailyLimit: number, percent: number) => Math.ceil((dailyLimit * percent) / 100);

/** Null until a record is done (no calls-per-record measured yet) or while the total is unknown. */
export function estimateRemaining(input: EtaInput): Eta | null {
  if (input.total === null || input.done <= 0) return null;
  const remaining = Math.max(0, input.total - input.done);
  const callsNeeded = Math.ceil((input.zohoCalls / input.done) * remaining);
  const perMinute = `Zoho allows ${count(input.perMinute)} calls a minute`;
  if (input.dailyLimit !== null && input.dailyRemaining !== null) {
    const reserve = quotaReserve(input.dailyLimit, input.reservePercent);
    const availableToday = Math.max(0, input.dailyRemaining - reserve);
    const perDay = Math.max(1, input.dailyLimit - reserve);
    if (callsNeeded > availableToday) {
      const days = 1 + Math.ceil((callsNeeded - availableToday) / perDay);
      const text = `about ${days} days at ${count(perDay)} calls a day — the rest continues tomorrow`;
      return { text, tomorrow: true };
    }
  }
  const ms = Math.ceil(callsNeeded / input.perMinute) * input.minuteMs;
  return { text: `${durationText(ms)}: ${perMinute}`, tomorrow: false };
}

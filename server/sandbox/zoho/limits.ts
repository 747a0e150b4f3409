// Zoho's limits per organization: requests per minute (44), the plan's daily quota (45) and calls in flight (1070).
import { zohoError } from "./api";
import { PLAN_LIMITS, type Organization } from "./store";

export type LimitOptions = {
  now: () => number;
  /** The rate window: Zoho's minute, shortened for tests and benchmarks on a scaled clock. */
  windowMs: number;
  perWindow: number;
  /** The daily quota's day, shortened the same way. */
  dayMs: number;
};

/** A call let through: release its in-flight slot when it is answered, and send the rate headers with the answer. */
export type Admission = { release: () => void; headers: Record<string, string> };

export function createLimits(options: LimitOptions) {
  const { now, windowMs, perWindow, dayMs } = options;
  /** The most calls any organization had inside one rate window, for limiter tests. */
  const peaks = { perWindow: 0, inFlight: 0, rejected429: 0 };

  function refuse(code: number, message: string): Response {
    peaks.rejected429++;
    return zohoError(429, code, message);
  }

  function admit(org: Organization): Response | Admission {
    const at = now();
    const state = org.limits;
    const day = String(Math.floor(at / dayMs));
    if (state.day !== day) Object.assign(state, { day, usedToday: 0 });
    state.recent = state.recent.filter((time) => time > at - windowMs);
    const plan = PLAN_LIMITS[org.details.plan];
    // Every request counts against the minute, refused or not, as a block for hammering would.
    state.recent.push(at);
    peaks.perWindow = Math.max(peaks.perWindow, state.recent.length);
    if (state.recent.length > perWindow) {
      return refuse(
        44,
        "For security reasons your organization has been blocked as it have exceeded the maximum number of requests per minute that can originate from an organization.",
      );
    }
    if (state.usedToday >= plan.daily)
      return refuse(
        45,
        `The API call for this organization has exceeded the maximum call rate limit of ${plan.daily}.`,
      );
    if (state.inFlight >= plan.concurrency)
      return refuse(
        1070,
        "You have reached the maximum number of in process requests allowed. Kindly try again after some time.",
      );
    state.usedToday++;
    state.inFlight++;
    peaks.inFlight = Math.max(peaks.inFlight, state.inFlight);
    const resetSeconds = Math.ceil((dayMs - (at % dayMs)) / 1000);
    return {
      release: () => void state.inFlight--,
      headers: {
        "X-Rate-Limit-Limit": String(plan.daily),
        "X-Rate-Limit-Remaining": String(plan.daily - state.usedToday),
        "X-Rate-Limit-Reset": String(resetSeconds),
      },
    };
  }

  /** Spends an organization's daily calls, as other integrations sharing its quota would. */
  function spendDailyQuota(org: Organization, calls: number) {
    Object.assign(org.limits, { day: String(Math.floor(now() / dayMs)), usedToday: org.limits.usedToday + calls });
  }

  return { admit, peaks, spendDailyQuota };
}

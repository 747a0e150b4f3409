// Small statistics the benchmarks share.

/** The value below which `share` of the sorted values lie (nearest rank). */
export const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;

/** p50 and p95 of a sample, in its unit, rounded to a tenth. */
export function p50p95(sample: number[]) {
  const sorted = [...sample].sort((a, b) => a - b);
  return { p50: Number(percentile(sorted, 0.5).toFixed(1)), p95: Number(percentile(sorted, 0.95).toFixed(1)) };
}

/** Zoho's per-minute limit on a window scaled to `windowMs`, in calls a second: 100 calls per window. */
export const limitRate = (windowMs: number) => (100 * 1000) / windowMs;

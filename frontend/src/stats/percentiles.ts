/**
 * The `percent`-th percentile (1 to 100) by nearest rank: the value at rank ceil(p/100 · n) of the sorted
 * values, as the API computes its own, so figures here and there agree. Null without values.
 */
export function percentile(values: readonly number[], percent: number): number | null {
  if (percent < 1 || percent > 100) {
    throw new RangeError(`percent must be between 1 and 100, is ${percent}`);
  }
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  // Whole numbers: 95 * 20 / 100 in floating point is 19.000000000000004, which would round up to rank 20.
  const rank = Math.floor((percent * sorted.length + 99) / 100);
  return sorted[rank - 1] ?? null;
}

export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function summarize(values: readonly number[]): Summary {
  return { count: values.length, p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

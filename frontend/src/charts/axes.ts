/** Steps between ticks of an axis that counts things: whole numbers only, so no tick reads "1.5 instances". */
export const WHOLE_STEPS: number[] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

/** The range of an axis of counts: from zero to the largest count shown, never less than one, a whole number. */
export function countRange(min: number | null, max: number | null): [number, number] {
  return [Math.min(0, Math.floor(min ?? 0)), Math.max(1, Math.ceil(max ?? 0))];
}

/** The range of an axis of amounts: from zero to the largest amount shown, at least one. */
export function amountRange(min: number | null, max: number | null): [number, number] {
  return [Math.min(0, min ?? 0), Math.max(1, max ?? 0)];
}

/** An x range in epoch seconds for a chart that spans the `windowMs` up to `endMs`. */
export function windowRange(endMs: number, windowMs: number): [number, number] {
  return [(endMs - windowMs) / 1000, endMs / 1000];
}

/** The x axis of every time chart: clock times in the reader's zone, said so. */
export const TIME_AXIS_LABEL = 'time (your time zone)';

/** One line of what the cursor points at: the instant, then each series' value with its unit; skips series without one. */
export function readout(
  time: number,
  series: readonly { label: string; unit: string }[],
  values: readonly (number | null | undefined)[],
  formatTime: (epochSeconds: number) => string,
): string {
  const parts = series.flatMap((s, i) => {
    const value = values[i];
    return value === null || value === undefined ? [] : [`${s.label} ${Math.round(value * 100) / 100} ${s.unit}`];
  });
  return [formatTime(time), ...parts].join(' · ');
}

/** The unit of a revision's load: what its autoscaler counts. */
export function loadUnit(metric: 'concurrency' | 'rps'): string {
  return metric === 'rps' ? 'requests/s' : 'requests in flight';
}

/** The label of a load axis: its unit when every revision measures load alike, both units when they differ. */
export function loadAxisLabel(metrics: readonly ('concurrency' | 'rps')[]): string {
  const units = [...new Set(metrics.map(loadUnit))];
  return `load (${units.length === 0 ? loadUnit('concurrency') : units.join(' or ')})`;
}

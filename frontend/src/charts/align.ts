/** Series sampled at (mostly) the same instants, keyed by epoch milliseconds. */
export interface TimedSeries {
  t: readonly number[];
  /** null where a sample was taken but has no value (a gap). */
  values: readonly (readonly (number | null)[])[];
}

/**
 * Puts several series on one time axis, as uPlot wants them: the sorted union of their instants in epoch
 * seconds, and for each series its values at those instants, null where it has no sample (a gap, not a zero).
 */
export function align(series: readonly TimedSeries[]): { x: number[]; ys: (number | null)[][] } {
  const instants = [...new Set(series.flatMap((s) => s.t))].sort((a, b) => a - b);
  const position = new Map(instants.map((t, i) => [t, i]));
  const ys: (number | null)[][] = [];
  for (const s of series) {
    for (const values of s.values) {
      const column: (number | null)[] = new Array<number | null>(instants.length).fill(null);
      s.t.forEach((t, i) => {
        const at = position.get(t);
        if (at !== undefined) {
          column[at] = values[i] ?? null;
        }
      });
      ys.push(column);
    }
  }
  return { x: instants.map((t) => t / 1000), ys };
}

import type { ColdStartEvent } from '../api/types';

/** The phases of a cold start in the order they happen, with what each one's time covers. */
export const PHASES = [
  { key: 'scaleRequested', label: 'Asked for an instance', color: '#9467bd' },
  { key: 'scheduled', label: 'Placed on a node', color: '#8c564b' },
  { key: 'imagePulled', label: 'Image pulled', color: '#e377c2' },
  { key: 'instanceStarted', label: 'Started', color: '#ff7f0e' },
  { key: 'instanceReady', label: 'Became ready', color: '#d62728' },
  { key: 'forwarded', label: 'Forwarded', color: '#1f77b4' },
  { key: 'firstByte', label: 'First byte', color: '#2ca02c' },
] as const;

/** The `n` cold starts that waited longest, slowest first; ones that got no response are left out. */
export function slowest(events: readonly ColdStartEvent[], n: number): ColdStartEvent[] {
  return events
    .filter((event): event is ColdStartEvent & { totalMs: number } => event.totalMs !== null)
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, n);
}

/** Each phase's share of one cold start, in order, leaving out phases nobody reported. */
export function phaseParts(event: ColdStartEvent): { key: string; label: string; color: string; ms: number }[] {
  return PHASES.flatMap((phase) => {
    const ms = event.phasesMs[phase.key];
    return typeof ms === 'number' ? [{ ...phase, ms }] : [];
  });
}

/**
 * The cold starts as chart columns: arrival in epoch seconds, and the wait split by whether it met the SLO. With
 * the chart's `range` (epoch seconds), the SLO line runs from its start to its end, not only between cold starts.
 */
export function coldStartColumns(events: readonly ColdStartEvent[], sloMs: number | null, range?: readonly [number, number]) {
  const timed = events
    .filter((event): event is ColdStartEvent & { totalMs: number } => event.totalMs !== null)
    .sort((a, b) => Date.parse(a.arrived) - Date.parse(b.arrived));
  const x = timed.map((event) => Date.parse(event.arrived) / 1000);
  const within: (number | null)[] = timed.map((event) => (sloMs === null || event.totalMs <= sloMs ? event.totalMs : null));
  const over: (number | null)[] = timed.map((event) => (sloMs !== null && event.totalMs > sloMs ? event.totalMs : null));
  const slo: (number | null)[] = timed.map(() => sloMs);
  if (range && sloMs !== null) {
    const [from, to] = range;
    if (x.length === 0 || from < (x[0] ?? from)) {
      x.unshift(from);
      within.unshift(null);
      over.unshift(null);
      slo.unshift(sloMs);
    }
    if (to > (x.at(-1) ?? to)) {
      x.push(to);
      within.push(null);
      over.push(null);
      slo.push(sloMs);
    }
  }
  return { x, ys: [within, over, slo] };
}

/** The windows the cold-start panel shows, each counted back from now; the chart's time axis spans the one chosen. */
export const COLD_START_WINDOWS = [
  { label: 'last hour', ms: 3_600_000 },
  { label: 'last 6 hours', ms: 6 * 3_600_000 },
  { label: 'last 24 hours', ms: 24 * 3_600_000 },
  { label: 'last 7 days', ms: 7 * 24 * 3_600_000 },
] as const;

/** The last 24 hours, as the services list's cold-start column. */
export const DEFAULT_WINDOW = COLD_START_WINDOWS[2];

export function windowNamed(ms: number): (typeof COLD_START_WINDOWS)[number] {
  return COLD_START_WINDOWS.find((w) => w.ms === ms) ?? DEFAULT_WINDOW;
}

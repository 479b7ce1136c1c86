import type { ColdStartSummary } from '../api/types';

export type Verdict = 'good' | 'near' | 'breach' | 'none';

/** Within this fraction of the SLO a p95 still meets it, but only just: worth a look before it does not. */
export const NEAR_FRACTION = 0.8;

/** How a p95 cold start fares against the SLO: well within, close to it, over it, or nothing measured yet. */
export function coldStartVerdict(p95Ms: number | null, sloMs: number): Verdict {
  if (p95Ms === null || !(sloMs > 0)) {
    return 'none';
  }
  if (p95Ms > sloMs) {
    return 'breach';
  }
  return p95Ms > sloMs * NEAR_FRACTION ? 'near' : 'good';
}

/** 850 -> '850 ms', 4321 -> '4.3 s', 12000 -> '12 s'. */
export function formatMillis(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = ms / 1000;
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

/** The words a cold-start cell says, so colour is never the only signal. */
export function coldStartText(summary: ColdStartSummary | null): string {
  if (!summary) {
    return 'not known';
  }
  if (summary.count === 0 || summary.p95Ms === null) {
    return `no cold starts in 24 h · SLO ${summary.slo}`;
  }
  const verdict = coldStartVerdict(summary.p95Ms, summary.sloMs);
  const word = verdict === 'breach' ? 'over' : verdict === 'near' ? 'near' : 'within';
  return `p95 ${formatMillis(summary.p95Ms)} · ${word} SLO ${summary.slo}`;
}

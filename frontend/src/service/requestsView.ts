import type { Latency, RevisionRequests, ServiceMetrics } from '../api/types';
import { align } from '../charts/align';
import { colorOf } from '../charts/palette';
import type { ChartSeries } from '../charts/TimeChart';

/** Requests per second as a person reads them: two significant digits below ten, whole numbers above. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) {
    return '0/s';
  }
  if (perSecond < 10) {
    return `${Number(perSecond.toPrecision(2)).toLocaleString()}/s`;
  }
  return `${Math.round(perSecond).toLocaleString()}/s`;
}

/** A share of failed requests as a percentage; a dash when nothing was counted. */
export function formatErrorRate(rate: number | null): string {
  if (rate === null) {
    return '—';
  }
  if (rate === 0) {
    return '0 %';
  }
  const percent = rate * 100;
  return `${percent < 1 ? Number(percent.toPrecision(2)) : Math.round(percent * 10) / 10} %`;
}

/** Milliseconds, or seconds from one second on; a dash when nothing was timed. */
export function formatMs(ms: number | null): string {
  if (ms === null) {
    return '—';
  }
  if (ms >= 1000) {
    return `${Math.round(ms / 100) / 10} s`;
  }
  return `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;
}

export function formatLatency(latency: Latency): string {
  return [latency.p50Ms, latency.p95Ms, latency.p99Ms].map(formatMs).join(' / ');
}

/** One revision's line of the requests table, with the colour its lines have in every chart of the page. */
export interface RequestRow {
  revision: string;
  color: string;
  requests: RevisionRequests;
}

/**
 * The revisions that had requests, oldest first, each coloured by its place among all the service's revisions (as the
 * instances chart colours them), so one revision has one colour on the whole page.
 */
export function requestRows(metrics: ServiceMetrics): RequestRow[] {
  return [...metrics.revisions]
    .sort((a, b) => a.revision.localeCompare(b.revision))
    .map((r, i) => ({ revision: r.revision, color: colorOf(i), requests: r.requests }))
    .filter((r): r is RequestRow => r.requests !== null);
}

/** Request rate, error rate (in percent) and p95 latency per revision, all and warm, on one time axis each. */
export function requestCharts(rows: readonly RequestRow[]) {
  const rate = align(rows.map((r) => ({ t: r.requests.t, values: [r.requests.requestsPerSecond] })));
  const errors = align(rows.map((r) => ({ t: r.requests.t, values: [r.requests.errorRate.map((e) => e * 100)] })));
  // A step whose requests were not timed (null) is a gap, not a zero.
  const latency = align(rows.map((r) => ({ t: r.requests.t, values: [r.requests.p95Ms, r.requests.warmP95Ms] })));
  const one = (unit: string) => rows.map((r): ChartSeries => ({ label: r.revision, color: r.color, unit }));
  const latencySeries: ChartSeries[] = rows.flatMap((r) => [
    { label: `${r.revision} p95`, color: r.color, unit: 'ms' },
    { label: `${r.revision} p95 warm`, color: r.color, dash: [6, 4], unit: 'ms' },
  ]);
  return {
    rate,
    rateSeries: one('requests/s'),
    errors,
    errorSeries: one('% 5xx'),
    latency,
    latencySeries,
  };
}

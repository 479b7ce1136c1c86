import { describe, expect, it } from 'vitest';
import type { RevisionRequests, RevisionSeries, ServiceMetrics } from '../api/types';
import { formatErrorRate, formatMs, formatRate, requestCharts, requestRows } from './requestsView';

function requests(revision: string, t: number[], overrides: Partial<RevisionRequests> = {}): RevisionRequests {
  return {
    revision,
    t,
    requestsPerSecond: t.map(() => 2),
    errorRate: t.map(() => 0.01),
    p50Ms: t.map(() => 10),
    p95Ms: t.map(() => 40),
    p99Ms: t.map(() => 80),
    warmP50Ms: t.map(() => 10),
    warmP95Ms: t.map(() => 30),
    warmP99Ms: t.map(() => 60),
    summary: {
      requests: 20 * t.length,
      requestsPerSecond: 2,
      errorRate: 0.01,
      errors: 1,
      gatewayErrors: 0,
      coldRequests: 0,
      all: { p50Ms: 10, p95Ms: 40, p99Ms: 80 },
      warm: { p50Ms: 10, p95Ms: 30, p99Ms: 60 },
    },
    ...overrides,
  };
}

function revision(name: string, withRequests: RevisionRequests | null): RevisionSeries {
  return { revision: name, metric: 'concurrency', t: [1], desired: [1], ready: [1], concurrency: [0], requests: withRequests };
}

describe('request figures', () => {
  it('reads rates, error rates and latencies as people write them', () => {
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.0333)).toBe('0.033/s');
    expect(formatRate(12.6)).toBe('13/s');
    expect(formatErrorRate(null)).toBe('—');
    expect(formatErrorRate(0)).toBe('0 %');
    expect(formatErrorRate(0.0025)).toBe('0.25 %');
    expect(formatErrorRate(0.1234)).toBe('12.3 %');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(4.25)).toBe('4.3 ms');
    expect(formatMs(231.4)).toBe('231 ms');
    expect(formatMs(1840)).toBe('1.8 s');
  });

  it('keeps each revision the colour its place among all revisions gives it, and leaves out those without requests', () => {
    const metrics: ServiceMetrics = {
      stepMs: 1000,
      requestStepMs: 10_000,
      revisions: [revision('web-00003', requests('web-00003', [10_000])), revision('web-00002', null), revision('web-00001', requests('web-00001', [0]))],
    };

    const rows = requestRows(metrics);

    expect(rows.map((r) => r.revision)).toEqual(['web-00001', 'web-00003']);
    expect(rows[1]?.color).not.toBe(rows[0]?.color);
  });

  it('draws error rates in percent and an untimed step as a gap', () => {
    const rows = requestRows({
      stepMs: 1000,
      requestStepMs: 10_000,
      revisions: [revision('web-00001', requests('web-00001', [0, 10_000], { p95Ms: [40, null], warmP95Ms: [30, null] }))],
    });

    const charts = requestCharts(rows);

    expect(charts.rate.x).toEqual([0, 10]);
    expect(charts.errors.ys[0]).toEqual([1, 1]);
    expect(charts.latency.ys).toEqual([
      [40, null],
      [30, null],
    ]);
    expect(charts.latencySeries.map((s) => s.label)).toEqual(['web-00001 p95', 'web-00001 p95 warm']);
  });
});

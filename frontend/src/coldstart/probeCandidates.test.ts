import { describe, expect, it } from 'vitest';
import type { RevisionRequests, ServiceMetrics, TrafficStatus } from '../api/types';
import { probeCandidates, recentRequests } from './probeCandidates';

const NOW = Date.parse('2026-12-02T10:05:00Z');

function target(revision: string, percent: number, tag: string | null = null): TrafficStatus {
  return { revision, latestRevision: false, percent, tag, url: null };
}

function withRequests(revision: string, t: number[], rps: number[]): ServiceMetrics['revisions'][number] {
  const requests = { revision, t, requestsPerSecond: rps } as unknown as RevisionRequests;
  return { revision, metric: 'concurrency', t: [], desired: [], ready: [], concurrency: [], requests };
}

describe('probeCandidates', () => {
  it('offers a revision tagged at 0 % and a routed one that has been idle, not one serving users', () => {
    const metrics: ServiceMetrics = {
      stepMs: 1000,
      requestStepMs: 10_000,
      revisions: [withRequests('web-00002', [NOW - 20_000], [3]), withRequests('web-00001', [NOW - 300_000], [5])],
    };

    const candidates = probeCandidates([target('web-00002', 100), target('web-00003', 0, 'next')], metrics, NOW);
    expect(candidates.map((c) => c.revision)).toEqual(['web-00003']);
    expect(candidates[0]?.why).toContain('tagged at 0 %');

    const idle = probeCandidates([target('web-00001', 100)], metrics, NOW);
    expect(idle.map((c) => c.revision)).toEqual(['web-00001']);
    expect(idle[0]?.why).toContain('no request in the last minute');
  });

  it('leaves out a revision the probe cannot reach alone: a share of the traffic without a tag', () => {
    expect(probeCandidates([target('web-00001', 50), target('web-00002', 50, 'canary')], undefined, NOW).map((c) => c.revision)).toEqual([
      'web-00002',
    ]);
  });

  it('counts the requests of the 10 s steps that reach into the last minute', () => {
    const metrics: ServiceMetrics = {
      stepMs: 1000,
      requestStepMs: 10_000,
      revisions: [withRequests('web-00001', [NOW - 70_000, NOW - 65_000, NOW - 10_000], [1, 2, 0.5])],
    };
    expect(recentRequests(metrics, 'web-00001', NOW)).toBe(25);
    expect(recentRequests(metrics, 'web-00009', NOW)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { TrafficStatus } from '../api/types';
import { trafficSegments } from './trafficSegments';

function entry(overrides: Partial<TrafficStatus>): TrafficStatus {
  return { revision: null, latestRevision: false, percent: 0, tag: null, url: null, ...overrides };
}

describe('trafficSegments', () => {
  it('labels a latestRevision target with the revision it resolved to', () => {
    const { segments, markers } = trafficSegments([
      entry({ revision: 'hello-00002', latestRevision: true, percent: 100 }),
    ]);

    expect(segments).toEqual([
      {
        key: 'latest:hello-00002',
        label: 'hello-00002 (latest)',
        revision: 'hello-00002',
        latestRevision: true,
        percent: 100,
        tags: [],
      },
    ]);
    expect(markers).toEqual([]);
  });

  it('says so when the latest revision is not ready yet', () => {
    const { segments } = trafficSegments([entry({ latestRevision: true, percent: 100 })]);

    expect(segments[0]?.label).toBe('latest (none ready)');
  });

  it('keeps a split between revisions in order', () => {
    const { segments } = trafficSegments([
      entry({ revision: 'hello-00002', latestRevision: true, percent: 90 }),
      entry({ revision: 'hello-00001', percent: 10, tag: 'stable' }),
    ]);

    expect(segments.map((s) => [s.label, s.percent, s.tags])).toEqual([
      ['hello-00002 (latest)', 90, []],
      ['hello-00001', 10, ['stable']],
    ]);
  });

  it('merges entries for the same target and collects their tags', () => {
    const { segments } = trafficSegments([
      entry({ revision: 'hello-00001', percent: 30, tag: 'a' }),
      entry({ revision: 'hello-00001', percent: 20, tag: 'b' }),
      entry({ revision: 'hello-00002', latestRevision: true, percent: 50 }),
    ]);

    expect(segments.map((s) => [s.label, s.percent, s.tags])).toEqual([
      ['hello-00001', 50, ['a', 'b']],
      ['hello-00002 (latest)', 50, []],
    ]);
  });

  it('turns a 0 % tagged entry into a marker when its target gets no traffic', () => {
    const { segments, markers } = trafficSegments([
      entry({ revision: 'hello-00002', latestRevision: true, percent: 100 }),
      entry({ revision: 'hello-00001', percent: 0, tag: 'old', url: 'http://old-hello.default.svc.cluster.local' }),
    ]);

    expect(segments).toHaveLength(1);
    expect(markers).toEqual([
      { tag: 'old', label: 'hello-00001', url: 'http://old-hello.default.svc.cluster.local' },
    ]);
  });

  it('adds the tag of a 0 % entry to the segment of the same target', () => {
    const { segments, markers } = trafficSegments([
      entry({ revision: 'hello-00002', latestRevision: true, percent: 0, tag: 'current' }),
      entry({ revision: 'hello-00002', latestRevision: true, percent: 100 }),
    ]);

    expect(segments.map((s) => [s.label, s.percent, s.tags])).toEqual([['hello-00002 (latest)', 100, ['current']]]);
    expect(markers).toEqual([]);
  });

  it('drops 0 % entries without a tag', () => {
    expect(trafficSegments([entry({ revision: 'hello-00001', percent: 0 })])).toEqual({ segments: [], markers: [] });
  });

  it('returns nothing for no traffic', () => {
    expect(trafficSegments([])).toEqual({ segments: [], markers: [] });
  });
});

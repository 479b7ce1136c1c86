import { describe, expect, it } from 'vitest';
import { auditChanges, effectiveAction, isDerived, trafficChange } from './auditChanges';

const service = (traffic: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'hello',
  labels: { team: 'ml' },
  traffic,
  metadata: { resourceVersion: '3', updatedAt: '2026-11-26T10:00:00Z' },
  status: { traffic: [{ revision: 'hello-00002', percent: 100 }], conditions: [{ type: 'Ready', status: 'True' }] },
  ...extra,
});

describe('isDerived', () => {
  it.each([
    ['status.traffic[0].percent', true],
    ['metadata.resourceVersion', true],
    ['status', true],
    ['statusPage', false],
    ['traffic[0].percent', false],
    ['labels.status', false],
  ])('%s -> %s', (path, derived) => {
    expect(isDerived(path)).toBe(derived);
  });
});

describe('trafficChange', () => {
  it('shows a canary split as revision and tag to percent, before and after', () => {
    const before = service([{ revision: 'hello-00001', percent: 100 }]);
    const after = service([
      { revision: 'hello-00001', percent: 90, tag: 'stable' },
      { revision: 'hello-00002', percent: 10, tag: 'canary' },
    ]);

    expect(trafficChange(before, after)).toEqual([
      { target: 'hello-00001', tag: 'stable', before: null, after: 90 },
      { target: 'hello-00002', tag: 'canary', before: null, after: 10 },
      { target: 'hello-00001', tag: null, before: 100, after: null },
    ]);
  });

  it('matches targets by what they name, not by their place in the list', () => {
    const before = service([
      { revision: 'hello-00001', percent: 90 },
      { latestRevision: true, percent: 10 },
    ]);
    const after = service([
      { latestRevision: true, percent: 50 },
      { revision: 'hello-00001', percent: 50 },
    ]);

    expect(trafficChange(before, after)).toEqual([
      { target: 'latest ready revision', tag: null, before: 10, after: 50 },
      { target: 'hello-00001', tag: null, before: 90, after: 50 },
    ]);
  });

  it('is null when the split did not move or there is no traffic at all', () => {
    const same = service([{ revision: 'hello-00001', percent: 100 }]);
    expect(trafficChange(same, { ...same, labels: { team: 'vision' } })).toBeNull();
    expect(trafficChange({ name: 'hello-00001' }, { name: 'hello-00002' })).toBeNull();
  });

  it('shows every target of a created or deleted service', () => {
    expect(trafficChange(null, service([{ latestRevision: true, percent: 100 }]))).toEqual([
      { target: 'latest ready revision', tag: null, before: null, after: 100 },
    ]);
  });
});

describe('auditChanges', () => {
  it('keeps the derived status and metadata apart from the settings people changed, and the traffic out of both', () => {
    const before = service([{ revision: 'hello-00001', percent: 100 }]);
    const after = service([{ revision: 'hello-00002', percent: 100 }], {
      labels: { team: 'vision' },
      metadata: { resourceVersion: '4', updatedAt: '2026-11-26T10:05:00Z' },
    });

    const changes = auditChanges({ before, after });

    expect(changes.settings.map((c) => c.path)).toEqual(['labels.team']);
    expect(changes.derived.map((c) => c.path)).toEqual(['metadata.resourceVersion', 'metadata.updatedAt']);
    expect(changes.traffic).toHaveLength(2);
  });
});

describe('effectiveAction', () => {
  const pinned = service([{ revision: 'hello-00001', percent: 100 }]);
  const moved = service([{ revision: 'hello-00002', percent: 100 }], { metadata: { resourceVersion: '4' } });

  it('reads a service update that only moved traffic as a traffic change', () => {
    expect(effectiveAction({ action: 'service.update', before: pinned, after: moved })).toBe('traffic.update');
  });

  it('keeps a service update that changed more than traffic as it was recorded', () => {
    const relabelled = { ...moved, labels: { team: 'vision' } };
    expect(effectiveAction({ action: 'service.update', before: pinned, after: relabelled })).toBe('service.update');
    expect(effectiveAction({ action: 'service.create', before: null, after: moved })).toBe('service.create');
  });
});

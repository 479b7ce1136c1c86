import { describe, expect, it } from 'vitest';
import type { Condition, Revision } from '../api/types';
import { aService, revisionMetadata } from '../test/fixtures';
import { isFailing, restartSummary, revisionActions } from './revisionState';

function aRevision(ready: Partial<Condition>, instances: Partial<NonNullable<Revision['status']['instances']>> = {}, stopped?: Revision['status']['stopped']): Revision {
  return {
    name: 'hello-00002',
    namespace: 'ml',
    service: 'hello',
    generation: 2,
    template: aService().template,
    templateHash: 'h',
    metadata: revisionMetadata(),
    status: {
      conditions: [{ type: 'Ready', status: 'Unknown', reason: null, message: null, lastTransitionTime: null, ...ready }],
      instances: { desired: 1, ready: 0, averageConcurrency: 0, ...instances },
      stopped,
    },
  };
}

describe('revisionActions', () => {
  it('offers to stop a crash-looping revision and to retry it once it failed', () => {
    expect(revisionActions(aRevision({ status: 'Unknown', reason: 'Deploying' }, { restarts: 2 }))).toEqual({ stop: true, retry: false });
    expect(revisionActions(aRevision({ status: 'False', reason: 'ProgressDeadlineExceeded' }))).toEqual({ stop: true, retry: true });
  });

  it('offers only a retry once it is stopped', () => {
    const stopped = aRevision({ status: 'False', reason: 'CrashLoop' }, {}, { at: '2026-12-02T10:05:00Z', by: 'user:bob' });
    expect(revisionActions(stopped)).toEqual({ stop: false, retry: true });
  });

  it('offers nothing for a ready or a deploying revision that has not crashed', () => {
    expect(isFailing(aRevision({ status: 'True' }))).toBe(false);
    expect(revisionActions(aRevision({ status: 'Unknown', reason: 'Deploying' }))).toEqual({ stop: false, retry: false });
  });
});

describe('restartSummary', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');

  it('says how many restarts and when the next one is', () => {
    expect(restartSummary(aRevision({}, { restarts: 3, nextRestart: '2026-12-02T10:00:40Z' }), now)).toBe(
      'restarted 3 times, next restart in 40 seconds',
    );
    expect(restartSummary(aRevision({}, { restarts: 1 }), now)).toBe('restarted once');
  });

  it('says nothing when nothing restarted', () => {
    expect(restartSummary(aRevision({}, { restarts: 0 }), now)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { Condition } from '../api/types';
import { conditionsOf, conditionSummary, humaniseReason, serviceReadiness } from './conditionSummary';

function condition(overrides: Partial<Condition>): Condition {
  return { type: 'Ready', status: 'Unknown', reason: null, message: null, lastTransitionTime: null, ...overrides };
}

describe('conditionSummary', () => {
  it('picks the Ready condition among the others', () => {
    const summary = conditionSummary([
      condition({ type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed' }),
      condition({ type: 'Ready', status: 'True' }),
      condition({ type: 'RoutesReady', status: 'True' }),
    ]);

    expect(summary).toEqual({ status: 'True', reason: null, sentence: 'Ready to serve traffic.' });
  });

  it('explains a False Ready condition with its message', () => {
    const summary = conditionSummary([
      condition({
        status: 'False',
        reason: 'RevisionMissing',
        message: 'Revision "hello-00002" failed to become ready',
      }),
    ]);

    expect(summary).toEqual({
      status: 'False',
      reason: 'RevisionMissing',
      sentence: 'Not ready: Revision "hello-00002" failed to become ready.',
    });
  });

  it('falls back to the humanised reason without a message', () => {
    const summary = conditionSummary([condition({ status: 'Unknown', reason: 'RevisionMissing' })]);

    expect(summary.sentence).toBe('Becoming ready: revision missing.');
  });

  it('does not add a second full stop', () => {
    const summary = conditionSummary([condition({ status: 'False', message: 'Image pull failed.' })]);

    expect(summary.sentence).toBe('Not ready: Image pull failed.');
  });

  it('says so when there is no Ready condition', () => {
    expect(conditionSummary([])).toEqual({
      status: 'Unknown',
      reason: null,
      sentence: 'No Ready condition reported yet.',
    });
  });
});

describe('humaniseReason', () => {
  it.each([
    ['RevisionMissing', 'revision missing'],
    ['TLSNotEnabled', 'TLS not enabled'],
    ['Deploying', 'deploying'],
  ])('turns %s into "%s"', (reason, expected) => {
    expect(humaniseReason(reason)).toBe(expected);
  });
});

describe('serviceReadiness', () => {
  const newestFailed = [
    condition({ type: 'Ready', status: 'False', reason: 'RevisionFailed', message: 'Revision "hello-00002" is not ready (CrashLoop): exit 3' }),
    condition({ type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed', message: 'Revision "hello-00002" is not ready (CrashLoop): exit 3' }),
    condition({ type: 'RoutesReady', status: 'True' }),
  ];

  it('reads a service whose traffic is served while its newest revision failed as serving, in amber', () => {
    const readiness = serviceReadiness(newestFailed);

    expect(readiness.tone).toBe('degraded');
    expect(readiness.label).toBe('Serving (newest revision failed)');
    expect(readiness.reason).toBe('RevisionFailed');
    expect(readiness.detail).toBe('Revision "hello-00002" is not ready (CrashLoop): exit 3');
    expect(readiness.sentence).toBe('Serving all its traffic, but the newest revision failed: Revision "hello-00002" is not ready (CrashLoop): exit 3.');
  });

  it('stays red when the traffic itself is not served', () => {
    const readiness = serviceReadiness([
      condition({ type: 'Ready', status: 'False', reason: 'RevisionMissing', message: 'no ready revision' }),
      condition({ type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed' }),
      condition({ type: 'RoutesReady', status: 'False', reason: 'RevisionMissing', message: 'no ready revision' }),
    ]);

    expect(readiness).toMatchObject({ tone: 'false', label: 'Not ready', detail: 'no ready revision' });
  });

  it('stays unknown while routes are still becoming ready, even if the newest revision failed', () => {
    const readiness = serviceReadiness([
      condition({ type: 'Ready', status: 'False', reason: 'RevisionFailed' }),
      condition({ type: 'ConfigurationsReady', status: 'False', reason: 'RevisionFailed' }),
      condition({ type: 'RoutesReady', status: 'Unknown', reason: 'RevisionNotReady' }),
    ]);

    expect(readiness.tone).toBe('false');
    expect(readiness.detail).toBe('revision failed');
  });

  it('reads Ready and Unknown as before, with no detail when Ready', () => {
    expect(serviceReadiness([condition({ status: 'True' })])).toMatchObject({ tone: 'true', label: 'Ready', detail: null });
    expect(serviceReadiness([condition({ status: 'Unknown', reason: 'Deploying' })])).toMatchObject({
      tone: 'unknown',
      label: 'Unknown',
      detail: 'deploying',
    });
  });

  it('falls back to the Ready summary of a row without conditions', () => {
    expect(conditionsOf({ ready: { status: 'False', reason: 'RevisionFailed', message: null } })).toEqual([
      { type: 'Ready', status: 'False', reason: 'RevisionFailed', message: null, lastTransitionTime: null },
    ]);
  });
});

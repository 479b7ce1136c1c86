import { describe, expect, it } from 'vitest';
import type { Condition } from '../api/types';
import { conditionSummary, humaniseReason } from './conditionSummary';

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

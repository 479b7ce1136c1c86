import { describe, expect, it } from 'vitest';
import { actionsFor, errorRate, figuresText, isActive, stateTone } from './rolloutView';

describe('rollout view', () => {
  it('offers the actions the API accepts in each state', () => {
    expect(actionsFor('progressing')).toEqual(['pause', 'promote', 'abort']);
    expect(actionsFor('paused')).toEqual(['resume', 'promote', 'abort']);
    expect(actionsFor('failed')).toEqual([]);
    expect(isActive('paused')).toBe(true);
    expect(isActive('superseded')).toBe(false);
  });

  it('reads the error rate of the app answers only, and says when there were none', () => {
    expect(errorRate({ answers: 40, errors: 10, gatewayErrors: 5, warmRequests: 40, warmP99Ms: 12 })).toBe(0.25);
    expect(figuresText({ answers: 0, errors: 0, gatewayErrors: 0, warmRequests: 0, warmP99Ms: null })).toBe(
      '0 answers · — 5xx · warm p99 —',
    );
    expect(figuresText({ answers: 40, errors: 10, gatewayErrors: 0, warmRequests: 38, warmP99Ms: 120.4 })).toBe(
      '40 answers · 25 % 5xx · warm p99 120 ms',
    );
  });

  it('colours a failed rollout as bad and a finished one as good', () => {
    expect(stateTone('failed')).toBe('bad');
    expect(stateTone('succeeded')).toBe('ok');
    expect(stateTone('progressing')).toBe('warn');
  });
});

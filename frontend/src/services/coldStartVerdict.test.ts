import { describe, expect, it } from 'vitest';
import { coldStartText, coldStartVerdict, formatMillis } from './coldStartVerdict';

describe('coldStartVerdict', () => {
  it('calls a p95 well under the SLO good', () => {
    expect(coldStartVerdict(4000, 10_000)).toBe('good');
  });

  it('calls a p95 within the SLO but above 80 % of it near', () => {
    expect(coldStartVerdict(8001, 10_000)).toBe('near');
    expect(coldStartVerdict(10_000, 10_000)).toBe('near');
  });

  it('calls a p95 over the SLO a breach', () => {
    expect(coldStartVerdict(10_001, 10_000)).toBe('breach');
  });

  it('has no verdict without a p95 or without an SLO', () => {
    expect(coldStartVerdict(null, 10_000)).toBe('none');
    expect(coldStartVerdict(500, 0)).toBe('none');
  });
});

describe('formatMillis', () => {
  it('keeps milliseconds under a second and switches to seconds above', () => {
    expect(formatMillis(850)).toBe('850 ms');
    expect(formatMillis(4321)).toBe('4.3 s');
    expect(formatMillis(12_400)).toBe('12 s');
  });
});

describe('coldStartText', () => {
  it('says the p95 and how it compares, in words', () => {
    expect(coldStartText({ slo: '10s', sloMs: 10_000, count: 3, p95Ms: 12_000, withinSlo: false })).toBe('p95 12 s · over SLO 10s');
  });

  it('says when nothing was measured', () => {
    expect(coldStartText({ slo: '10s', sloMs: 10_000, count: 0, p95Ms: null, withinSlo: null })).toBe('no cold starts in 24 h · SLO 10s');
    expect(coldStartText(null)).toBe('not known');
  });
});

import { describe, expect, it } from 'vitest';
import { amountRange, countRange, loadAxisLabel, readout, WHOLE_STEPS, windowRange } from './axes';

describe('countRange', () => {
  it('runs from zero to the largest count as a whole number, at least one', () => {
    expect(countRange(0, 0)).toEqual([0, 1]);
    expect(countRange(1, 3)).toEqual([0, 3]);
    expect(countRange(null, null)).toEqual([0, 1]);
    expect(countRange(0, 2.4)).toEqual([0, 3]);
  });

  it('steps only in whole numbers', () => {
    expect(WHOLE_STEPS.every(Number.isInteger)).toBe(true);
  });
});

describe('amountRange', () => {
  it('keeps fractions, from zero', () => {
    expect(amountRange(0.2, 0.7)).toEqual([0, 1]);
    expect(amountRange(3, 12.5)).toEqual([0, 12.5]);
  });
});

describe('windowRange', () => {
  it('spans the whole window up to its end, in epoch seconds', () => {
    expect(windowRange(Date.parse('2026-11-26T10:00:00Z'), 3_600_000)).toEqual([
      Date.parse('2026-11-26T09:00:00Z') / 1000,
      Date.parse('2026-11-26T10:00:00Z') / 1000,
    ]);
  });
});

describe('readout', () => {
  const series = [
    { label: 'hello-00001 ready', unit: 'instances' },
    { label: 'hello-00001 wanted', unit: 'instances' },
  ];

  it('says the instant and each value with its unit', () => {
    expect(readout(1_764_151_200, series, [2, 3], () => '10:00:00')).toBe(
      '10:00:00 · hello-00001 ready 2 instances · hello-00001 wanted 3 instances',
    );
  });

  it('leaves out series without a value there rather than writing dashes', () => {
    expect(readout(1_764_151_200, series, [null, 1.234], () => '10:00:00')).toBe('10:00:00 · hello-00001 wanted 1.23 instances');
  });
});

describe('loadAxisLabel', () => {
  it('says the unit the revisions measure their load in', () => {
    expect(loadAxisLabel(['concurrency', 'concurrency'])).toBe('load (requests in flight)');
    expect(loadAxisLabel(['rps'])).toBe('load (requests/s)');
    expect(loadAxisLabel(['concurrency', 'rps'])).toBe('load (requests in flight or requests/s)');
    expect(loadAxisLabel([])).toBe('load (requests in flight)');
  });
});

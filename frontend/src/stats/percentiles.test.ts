import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles';

describe('percentile', () => {
  it('takes the value at the nearest rank, never interpolating', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 100);
    expect(percentile(values, 95)).toBe(1900);
    expect(percentile(values, 50)).toBe(1000);
    expect(percentile(values, 100)).toBe(2000);
  });

  it('does not depend on the order of the values', () => {
    expect(percentile([300, 100, 200], 50)).toBe(200);
  });

  it('is null without values and refuses a percent outside 1..100', () => {
    expect(percentile([], 95)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives the count and the three percentiles the dashboard shows', () => {
    expect(summarize([5, 1, 9, 3])).toEqual({ count: 4, p50: 3, p95: 9, p99: 9 });
  });
});

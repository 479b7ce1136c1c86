import { describe, expect, it } from 'vitest';
import { parseDuration } from './durations';

describe('parseDuration', () => {
  it('reads the spellings the API uses', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
  });

  it('is null for anything else', () => {
    expect(parseDuration('')).toBeNull();
    expect(parseDuration('10')).toBeNull();
    expect(parseDuration('10 seconds')).toBeNull();
  });
});

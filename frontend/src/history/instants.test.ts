import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './instants';

describe('instants', () => {
  it('round-trips a local date through the input format', () => {
    const date = new Date(2026, 10, 26, 9, 5, 7);
    expect(toLocalInput(date)).toBe('2026-11-26T09:05:07');
    expect(fromLocalInput('2026-11-26T09:05:07')?.getTime()).toBe(date.getTime());
  });

  it('accepts a time without seconds, as browsers send when the seconds are zero', () => {
    expect(fromLocalInput('2026-11-26T09:05')?.getSeconds()).toBe(0);
  });

  it('refuses empty input and impossible dates', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-02-30T10:00')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { fromLocalInput, instantShowing, toLocalInput } from './instants';

describe('instants', () => {
  it('round-trips a local date through the input format', () => {
    const date = new Date(2026, 10, 26, 9, 5, 7);
    expect(toLocalInput(date)).toBe('2026-11-26T09:05:07');
    expect(fromLocalInput('2026-11-26T09:05:07')?.getTime()).toBe(date.getTime());
  });

  it('accepts a time without seconds, as browsers send when the seconds are zero', () => {
    expect(fromLocalInput('2026-11-26T09:05')?.getSeconds()).toBe(0);
  });

  it('accepts the milliseconds some browsers add to a value with seconds', () => {
    expect(fromLocalInput('2026-11-26T09:05:07.000')?.getTime()).toBe(new Date(2026, 10, 26, 9, 5, 7).getTime());
  });

  it('refuses empty input and impossible dates', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-02-30T10:00')).toBeNull();
  });
});

describe('instantShowing', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('rounds a change up to the next whole second, which the instant input can hold and which includes it', () => {
    expect(instantShowing('2026-11-26T09:05:07.250Z', now).toISOString()).toBe('2026-11-26T09:05:08.000Z');
    expect(instantShowing('2026-11-26T09:05:07Z', now).toISOString()).toBe('2026-11-26T09:05:07.000Z');
  });

  it('never asks for the future, which the server refuses', () => {
    expect(instantShowing('2026-11-26T09:59:59.600Z', Date.parse('2026-11-26T09:59:59.800Z')).toISOString()).toBe(
      '2026-11-26T09:59:59.800Z',
    );
  });
});

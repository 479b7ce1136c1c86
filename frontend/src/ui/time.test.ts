import { describe, expect, it } from 'vitest';
import { ago } from './time';

describe('ago', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');

  it('says how long ago in the largest unit that fits', () => {
    expect(ago('2026-11-26T11:57:00Z', now)).toBe('3 minutes ago');
    expect(ago('2026-11-26T09:00:00Z', now)).toBe('3 hours ago');
    expect(ago('2026-11-25T12:00:00Z', now)).toBe('yesterday');
  });

  it('says now for the current second', () => {
    expect(ago('2026-11-26T12:00:00Z', now)).toBe('now');
  });
});

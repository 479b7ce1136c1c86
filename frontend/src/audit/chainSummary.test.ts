import { describe, expect, it } from 'vitest';
import type { ChainReport } from '../api/types';
import { chainSummary } from './chainSummary';

function aReport(overrides: Partial<ChainReport> = {}): ChainReport {
  return { status: 'intact', eventsChecked: 1234, lastEventId: 1234, lastHash: 'ab12', firstMismatch: null, ...overrides };
}

describe('chainSummary', () => {
  it('counts the events an intact chain covers', () => {
    expect(chainSummary(aReport())).toEqual({
      intact: true,
      headline: 'Audit chain intact: 1,234 events checked, none altered or missing.',
      detail: null,
    });
    expect(chainSummary(aReport({ eventsChecked: 1 })).headline).toContain('1 event checked');
  });

  it('says an empty trail is intact', () => {
    expect(chainSummary(aReport({ eventsChecked: 0, lastEventId: null, lastHash: null })).headline).toBe(
      'Audit chain intact: there are no events yet.',
    );
  });

  it('names the first broken event, what is wrong with it and how far the chain holds', () => {
    const summary = chainSummary(
      aReport({
        status: 'broken',
        eventsChecked: 42,
        lastEventId: 41,
        firstMismatch: { id: 42, problem: 'altered', reason: 'The stored content of event 42 does not match its hash.' },
      }),
    );
    expect(summary.intact).toBe(false);
    expect(summary.headline).toBe('Audit chain broken at event #42: its content was changed.');
    expect(summary.detail).toBe('The stored content of event 42 does not match its hash. Events up to #41 are intact.');
  });

  it('keeps a problem it does not know by its name', () => {
    const summary = chainSummary(
      aReport({ status: 'broken', lastEventId: null, firstMismatch: { id: 1, problem: 'reordered', reason: 'Out of order.' } }),
    );
    expect(summary.headline).toBe('Audit chain broken at event #1: reordered.');
    expect(summary.detail).toBe('Out of order. No event before it is intact.');
  });
});

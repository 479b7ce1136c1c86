import { describe, expect, it } from 'vitest';
import type { ColdStartEvent } from '../api/types';
import { coldStartColumns, DEFAULT_WINDOW, phaseParts, slowest, windowNamed } from './coldStartView';

function anEvent(arrived: string, totalMs: number | null, phasesMs: Record<string, number | null> = {}): ColdStartEvent {
  return {
    revision: 'hello-00001',
    instance: 'i-1',
    requestId: null,
    status: 200,
    arrived,
    scaleRequested: null,
    scheduled: null,
    imagePulled: null,
    instanceStarted: null,
    instanceReady: null,
    forwarded: null,
    firstByte: null,
    totalMs,
    phasesMs: phasesMs as Record<string, number>,
    withinSlo: null,
    probe: false,
  };
}

describe('slowest', () => {
  it('picks the longest waits, slowest first, skipping ones without a response', () => {
    const events = [anEvent('2026-11-26T10:00:00Z', 300), anEvent('2026-11-26T10:01:00Z', null), anEvent('2026-11-26T10:02:00Z', 900)];
    expect(slowest(events, 5).map((e) => e.totalMs)).toEqual([900, 300]);
    expect(slowest(events, 1).map((e) => e.totalMs)).toEqual([900]);
  });
});

describe('phaseParts', () => {
  it('keeps the phases in order and leaves out the unreported ones', () => {
    const parts = phaseParts(anEvent('2026-11-26T10:00:00Z', 1000, { firstByte: 100, scaleRequested: 5, instanceStarted: null, instanceReady: 895 }));
    expect(parts.map((p) => [p.key, p.ms])).toEqual([
      ['scaleRequested', 5],
      ['instanceReady', 895],
      ['firstByte', 100],
    ]);
  });

  it('puts a pod\'s placement and image pull between the request for an instance and its start', () => {
    const parts = phaseParts(
      anEvent('2026-11-26T10:00:00Z', 3000, { scaleRequested: 20, scheduled: 40, imagePulled: 2000, instanceStarted: 40, instanceReady: 800, forwarded: 50, firstByte: 50 }),
    );
    expect(parts.map((p) => p.label)).toEqual(['Asked for an instance', 'Placed on a node', 'Image pulled', 'Started', 'Became ready', 'Forwarded', 'First byte']);
  });
});

describe('coldStartColumns', () => {
  it('draws the SLO across the whole window, with no cold start at its ends', () => {
    const from = Date.parse('2026-11-26T09:00:00Z') / 1000;
    const to = Date.parse('2026-11-26T11:00:00Z') / 1000;
    const columns = coldStartColumns([anEvent('2026-11-26T10:00:01Z', 4000)], 10_000, [from, to]);
    expect(columns.x).toEqual([from, Date.parse('2026-11-26T10:00:01Z') / 1000, to]);
    expect(columns.ys).toEqual([
      [null, 4000, null],
      [null, null, null],
      [10_000, 10_000, 10_000],
    ]);
  });

  it('orders by arrival and splits waits by the SLO, with the SLO as a constant line', () => {
    const columns = coldStartColumns([anEvent('2026-11-26T10:00:02Z', 12_000), anEvent('2026-11-26T10:00:01Z', 4000)], 10_000);
    expect(columns.x).toEqual([Date.parse('2026-11-26T10:00:01Z') / 1000, Date.parse('2026-11-26T10:00:02Z') / 1000]);
    expect(columns.ys).toEqual([
      [4000, null],
      [null, 12_000],
      [10_000, 10_000],
    ]);
  });
});

describe('windowNamed', () => {
  it('names the windows the panel offers, and falls back to the last 24 hours', () => {
    expect(windowNamed(3_600_000).label).toBe('last hour');
    expect(windowNamed(7 * 24 * 3_600_000).label).toBe('last 7 days');
    expect(windowNamed(42)).toBe(DEFAULT_WINDOW);
    expect(DEFAULT_WINDOW.label).toBe('last 24 hours');
  });
});

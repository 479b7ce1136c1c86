import { describe, expect, it } from 'vitest';
import { auditFilterOf, draftFromParams, EMPTY_DRAFT, paramsOf, rangeProblem } from './auditFilter';

describe('auditFilter', () => {
  it('reads RFC 3339 instants from the address into local inputs and back', () => {
    const since = new Date(2026, 10, 26, 9, 30, 0);
    const draft = draftFromParams(new URLSearchParams({ namespace: 'ml', since: since.toISOString() }));

    expect(draft).toEqual({ ...EMPTY_DRAFT, namespace: 'ml', since: '2026-11-26T09:30:00' });
    expect(auditFilterOf(draft).since).toBe(since.toISOString());
  });

  it('reads the action from the address', () => {
    expect(draftFromParams(new URLSearchParams({ action: 'traffic.update' })).action).toBe('traffic.update');
  });

  it('ignores an instant in the address that is not one', () => {
    expect(draftFromParams(new URLSearchParams({ until: 'yesterday' })).until).toBe('');
  });

  it('trims names and leaves out times that are not fully typed', () => {
    expect(
      auditFilterOf({ namespace: ' ml ', service: 'hello ', actor: ' user:alice', action: 'traffic.update', since: '2026-11-', until: '' }),
    ).toEqual({
      namespace: 'ml',
      service: 'hello',
      actor: 'user:alice',
      action: 'traffic.update',
      since: '',
      until: '',
    });
  });

  it('keeps only the parts of the filter that are set in the address', () => {
    expect(paramsOf({ namespace: 'ml', service: '', actor: '', action: 'traffic.update', since: '2026-11-26T08:30:00.000Z', until: '' })).toEqual({
      namespace: 'ml',
      action: 'traffic.update',
      since: '2026-11-26T08:30:00.000Z',
    });
  });

  it('says when the range is upside down', () => {
    const filter = { ...auditFilterOf(EMPTY_DRAFT), since: '2026-11-27T00:00:00.000Z', until: '2026-11-26T00:00:00.000Z' };
    expect(rangeProblem(filter)).toMatch(/later than/);
    expect(rangeProblem({ ...filter, until: '2026-11-28T00:00:00.000Z' })).toBeNull();
  });
});

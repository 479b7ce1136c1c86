import { describe, expect, it } from 'vitest';
import { triggerText } from './revisionTrigger';

describe('triggerText', () => {
  it('names the person, the CI token, the hook and event, or the poll', () => {
    expect(triggerText({ kind: 'person', name: 'alice', event: null })).toBe('alice (person)');
    expect(triggerText({ kind: 'token', name: 'ci', event: null })).toBe('CI token ci');
    expect(triggerText({ kind: 'registry-push', name: 'harbor', event: 'e-42' })).toBe(
      'registry push via hook harbor, event e-42',
    );
    expect(triggerText({ kind: 'poll', name: null, event: null })).toBe('poll of the followed tag');
    expect(triggerText({ kind: 'system', name: 'ebb', event: null })).toBe('ebb');
  });
});

import { describe, expect, it } from 'vitest';
import { jsonDiff, showValue } from './jsonDiff';

describe('jsonDiff', () => {
  it('finds a changed leaf deep in the document', () => {
    expect(jsonDiff({ traffic: [{ percent: 100 }] }, { traffic: [{ percent: 90 }] })).toEqual([
      { path: 'traffic[0].percent', kind: 'changed', from: 100, to: 90 },
    ]);
  });

  it('reports added and removed keys and array items', () => {
    expect(jsonDiff({ a: 1, gone: true, list: [1] }, { a: 1, list: [1, 2], added: 'x' })).toEqual([
      { path: 'list[1]', kind: 'added', to: 2 },
      { path: 'added', kind: 'added', to: 'x' },
      { path: 'gone', kind: 'removed', from: true },
    ]);
  });

  it('treats a missing document as everything added or removed', () => {
    expect(jsonDiff(null, { name: 'hello', labels: {} })).toEqual([
      { path: 'name', kind: 'added', to: 'hello' },
      { path: 'labels', kind: 'added', to: {} },
    ]);
    expect(jsonDiff({ name: 'hello' }, null)).toEqual([{ path: 'name', kind: 'removed', from: 'hello' }]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(jsonDiff({ labels: { 'app.kubernetes.io/name': 'a' } }, { labels: { 'app.kubernetes.io/name': 'b' } })[0]?.path).toBe(
      'labels["app.kubernetes.io/name"]',
    );
  });

  it('finds nothing between equal documents', () => {
    expect(jsonDiff({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });
});

describe('showValue', () => {
  it('shows strings quoted, other values as JSON and a missing value as a dash', () => {
    expect(showValue('x')).toBe('"x"');
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue(undefined)).toBe('—');
  });
});

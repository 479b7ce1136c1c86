/** One difference between two JSON documents, at a path such as `traffic[1].percent`. */
export interface JsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  from?: unknown;
  to?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path ? (safe === key ? `${path}.${key}` : `${path}[${safe}]`) : safe;
}

/**
 * The leaves that differ between `before` and `after`, depth first in the order of `after`'s keys, then keys
 * only `before` had. Arrays are compared index by index. A missing side (null or undefined document) makes
 * every leaf of the other added or removed.
 */
export function jsonDiff(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (before === undefined || before === null) {
    if (after === undefined || after === null) {
      return [];
    }
    return leaves(after, path).map(([p, value]) => ({ path: p, kind: 'added', to: value }));
  }
  if (after === undefined || after === null) {
    return leaves(before, path).map(([p, value]) => ({ path: p, kind: 'removed', from: value }));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      changes.push(...jsonDiff(before[i], after[i], join(path, i)));
    }
    return changes;
  }
  if (isObject(before) && isObject(after)) {
    const changes: JsonChange[] = [];
    for (const key of Object.keys(after)) {
      changes.push(...jsonDiff(before[key], after[key], join(path, key)));
    }
    for (const key of Object.keys(before)) {
      if (!(key in after)) {
        changes.push(...jsonDiff(before[key], undefined, join(path, key)));
      }
    }
    return changes;
  }
  return Object.is(before, after) ? [] : [{ path: path || '(whole document)', kind: 'changed', from: before, to: after }];
}

function leaves(value: unknown, path: string): [string, unknown][] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [[path, value]] : value.flatMap((item, i) => leaves(item, join(path, i)));
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? [[path, value]] : keys.flatMap((key) => leaves(value[key], join(path, key)));
  }
  return [[path || '(whole document)', value]];
}

/** A JSON value as one short line. */
export function showValue(value: unknown): string {
  if (value === undefined) {
    return '—';
  }
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

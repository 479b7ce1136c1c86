import type { AuditEvent } from '../api/types';
import { jsonDiff, type JsonChange } from '../ui/jsonDiff';

/**
 * Parts of a stored document that Ebb derives rather than anyone asked for: the status it computed and the
 * metadata it keeps. A change of spec moves many of them at once (a resource version, a timestamp, the resolved
 * traffic), which buries the one setting a person changed.
 */
const DERIVED_ROOTS = ['status', 'metadata'] as const;

export function isDerived(path: string): boolean {
  return DERIVED_ROOTS.some((root) => path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`));
}

function isTrafficPath(path: string): boolean {
  return path === 'traffic' || path.startsWith('traffic[') || path.startsWith('traffic.');
}

/** One target of a traffic split before and after a change; null where the split had no such target. */
export interface TrafficShare {
  target: string;
  tag: string | null;
  before: number | null;
  after: number | null;
}

interface Target {
  target: string;
  tag: string | null;
  percent: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A document's traffic targets keyed by what they name (revision or latest, and tag), or null without traffic. */
function targetsOf(document: unknown): Map<string, Target> | null {
  if (!isRecord(document) || !Array.isArray(document.traffic)) {
    return null;
  }
  const targets = new Map<string, Target>();
  for (const entry of document.traffic) {
    if (!isRecord(entry)) {
      continue;
    }
    const target = typeof entry.revision === 'string' ? entry.revision : entry.latestRevision === true ? 'latest ready revision' : '?';
    const tag = typeof entry.tag === 'string' ? entry.tag : null;
    const percent = typeof entry.percent === 'number' ? entry.percent : 0;
    const key = `${target}\u0000${tag ?? ''}`;
    const known = targets.get(key);
    targets.set(key, { target, tag, percent: (known?.percent ?? 0) + percent });
  }
  return targets;
}

/**
 * The traffic split before and after, target by target (revision or latest, with its tag), in the order of the split
 * after the change and then the targets it dropped; null when neither document has traffic or the split is the same.
 */
export function trafficChange(before: unknown, after: unknown): TrafficShare[] | null {
  const was = targetsOf(before);
  const is = targetsOf(after);
  if (!was && !is) {
    return null;
  }
  const rows: TrafficShare[] = [];
  for (const [key, target] of is ?? []) {
    rows.push({ target: target.target, tag: target.tag, before: was?.get(key)?.percent ?? null, after: target.percent });
  }
  for (const [key, target] of was ?? []) {
    if (!is?.has(key)) {
      rows.push({ target: target.target, tag: target.tag, before: target.percent, after: null });
    }
  }
  const moved = rows.some((row) => row.before !== row.after);
  return moved ? rows : null;
}

/** What an audit event changed: the traffic split, the settings people write, and what Ebb derived from them. */
export interface AuditChanges {
  traffic: TrafficShare[] | null;
  settings: JsonChange[];
  derived: JsonChange[];
}

export function auditChanges(event: Pick<AuditEvent, 'before' | 'after'>): AuditChanges {
  const traffic = trafficChange(event.before, event.after);
  const all = jsonDiff(event.before, event.after);
  return {
    traffic,
    // With a split to show, its array indexes would only say the same thing less clearly.
    settings: all.filter((change) => !isDerived(change.path) && !(traffic && isTrafficPath(change.path))),
    derived: all.filter((change) => isDerived(change.path)),
  };
}

/**
 * The action an event stands for. Ebb records a service PUT or PATCH that only moves traffic as `traffic.update`;
 * events recorded before it did are `service.update` whose only change people made is the traffic, and read the same.
 */
export function effectiveAction(event: Pick<AuditEvent, 'action' | 'before' | 'after'>): string {
  if (event.action !== 'service.update') {
    return event.action;
  }
  const changes = auditChanges(event);
  return changes.traffic !== null && changes.settings.length === 0 ? 'traffic.update' : event.action;
}

/** The actions Ebb records, for the filter; others (newer than this console) can still be typed into the address. */
export const AUDIT_ACTIONS = [
  'service.create',
  'service.update',
  'traffic.update',
  'service.delete',
  'revision.create',
  'coldstart.probe',
  'warm.create',
  'warm.delete',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'cluster.create',
  'cluster.update',
  'cluster.delete',
  'registry-credential.create',
  'registry-credential.update',
  'registry-credential.delete',
  'secrets.rotate',
] as const;

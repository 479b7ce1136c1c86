import type { ClusterStatus } from '../api/types';

export type Tone = 'status-ok' | 'status-warn' | 'status-bad';

/** The reachability badge: reachable and quiet, reachable with something wrong to say, or out of reach. */
export function reachability(status: ClusterStatus): { label: 'Reachable' | 'Unreachable'; tone: Tone } {
  if (!status.reachable) {
    return { label: 'Unreachable', tone: 'status-bad' };
  }
  return { label: 'Reachable', tone: status.message ? 'status-warn' : 'status-ok' };
}

/**
 * Why the replica that answered has not reconciled a cluster it drives: a follower leaves that to the leader, a
 * leader has not got to it yet. Null while it is not known whether that replica leads.
 */
export function notReconciledHint(leads: boolean | undefined): string | null {
  if (leads === undefined) {
    return null;
  }
  return leads ? 'not yet' : 'this replica follows';
}

/** How many gateways long-poll a replica for routing, in words. */
export function gatewaysText(count: number): string {
  if (count === 0) {
    return 'no separate gateway connected';
  }
  return `${count} separate ${count === 1 ? 'gateway' : 'gateways'} connected`;
}

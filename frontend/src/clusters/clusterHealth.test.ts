import { describe, expect, it } from 'vitest';
import { aClusterStatus } from '../test/fixtures';
import { gatewaysText, notReconciledHint, reachability } from './clusterHealth';

describe('reachability', () => {
  it('is green for a reachable cluster with nothing to say', () => {
    expect(reachability(aClusterStatus())).toEqual({ label: 'Reachable', tone: 'status-ok' });
  });

  it('is amber for a reachable cluster with something wrong', () => {
    expect(reachability(aClusterStatus({ message: 'Ebb may not list Deployments in namespace ml' }))).toEqual({
      label: 'Reachable',
      tone: 'status-warn',
    });
  });

  it('is red for a cluster out of reach, whether or not it says why', () => {
    expect(reachability(aClusterStatus({ reachable: false, message: 'connection refused' }))).toEqual({ label: 'Unreachable', tone: 'status-bad' });
    expect(reachability(aClusterStatus({ reachable: false }))).toEqual({ label: 'Unreachable', tone: 'status-bad' });
  });
});

describe('notReconciledHint', () => {
  it('puts a follower apart from a leader that has not got there yet', () => {
    expect(notReconciledHint(false)).toBe('this replica follows');
    expect(notReconciledHint(true)).toBe('not yet');
  });

  it('says nothing while it is unknown whether the replica leads', () => {
    expect(notReconciledHint(undefined)).toBeNull();
  });
});

describe('gatewaysText', () => {
  it('counts gateways in words', () => {
    expect(gatewaysText(0)).toBe('no separate gateway connected');
    expect(gatewaysText(1)).toBe('1 separate gateway connected');
    expect(gatewaysText(2)).toBe('2 separate gateways connected');
  });
});

import type { Revision } from '../api/types';
import { ago } from '../ui/time';

/**
 * Whether a revision is failing: its Ready condition is False, or its instances crash and restart while it is still
 * deploying. Such a revision is offered a way to its logs, to be stopped and (once failed or stopped) to be retried.
 */
export function isFailing(revision: Revision): boolean {
  const ready = revision.status.conditions[0];
  if (ready?.status === 'False') {
    return true;
  }
  return ready?.status === 'Unknown' && (revision.status.instances?.restarts ?? 0) > 0;
}

/** What an operator may do to the revision now: stop a failing one that is not stopped yet, retry a failed or stopped one. */
export function revisionActions(revision: Revision): { stop: boolean; retry: boolean } {
  const stopped = Boolean(revision.status.stopped);
  return {
    stop: !stopped && isFailing(revision),
    retry: stopped || revision.status.conditions[0]?.status === 'False',
  };
}

/** 'restarted 3 times, next restart in 40 seconds': the crash back-off in words, or null when nothing restarted. */
export function restartSummary(revision: Revision, now: number = Date.now()): string | null {
  const instances = revision.status.instances;
  const restarts = instances?.restarts ?? 0;
  const next = instances?.nextRestart;
  if (restarts === 0 && !next) {
    return null;
  }
  const count = restarts === 1 ? 'restarted once' : `restarted ${restarts} times`;
  return next ? `${count}, next restart ${ago(next, now)}` : count;
}

import type { ServiceMetrics, TrafficStatus } from '../api/types';

/** A revision the cold-start probe may take to zero without making users wait, and why. */
export interface ProbeCandidate {
  revision: string;
  percent: number;
  why: string;
}

const MINUTE_MS = 60_000;

/** Requests that ended in the minute before `now` (epoch ms), from the 10 s steps the API gives. */
export function recentRequests(metrics: ServiceMetrics | undefined, revision: string, now: number): number {
  const requests = metrics?.revisions.find((r) => r.revision === revision)?.requests;
  if (!requests) {
    return 0;
  }
  const stepSeconds = metrics.requestStepMs / 1000;
  return requests.t.reduce(
    (sum, t, i) => (t + metrics.requestStepMs > now - MINUTE_MS ? sum + (requests.requestsPerSecond[i] ?? 0) * stepSeconds : sum),
    0,
  );
}

/**
 * The revisions worth measuring, as the server judges them: the probe reaches a revision through the service's URL
 * when it gets all the traffic, or through its tag; it refuses one that serves users (a share of the traffic and
 * requests in the last minute), since taking it to zero would make them wait. So: revisions tagged at 0 %, and routed
 * revisions that have been idle for a minute. Newest first.
 */
export function probeCandidates(traffic: readonly TrafficStatus[], metrics: ServiceMetrics | undefined, now: number): ProbeCandidate[] {
  const byRevision = new Map<string, { percent: number; tagged: boolean }>();
  for (const target of traffic) {
    if (!target.revision) {
      continue;
    }
    const seen = byRevision.get(target.revision) ?? { percent: 0, tagged: false };
    byRevision.set(target.revision, { percent: seen.percent + target.percent, tagged: seen.tagged || target.tag !== null });
  }
  const candidates: ProbeCandidate[] = [];
  for (const [revision, { percent, tagged }] of byRevision) {
    if (percent < 100 && !tagged) {
      continue;
    }
    if (percent === 0) {
      candidates.push({ revision, percent, why: 'tagged at 0 %: no user is routed to it' });
    } else if (recentRequests(metrics, revision, now) === 0) {
      candidates.push({ revision, percent, why: `serves ${percent} % of the traffic but had no request in the last minute` });
    }
  }
  return candidates.sort((a, b) => b.revision.localeCompare(a.revision));
}

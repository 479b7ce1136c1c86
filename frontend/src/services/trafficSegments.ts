import type { TrafficStatus } from '../api/types';

/** A part of the traffic bar: one routing target with the share of requests it receives. */
export interface TrafficSegment {
  key: string;
  label: string;
  revision: string | null;
  latestRevision: boolean;
  percent: number;
  tags: string[];
}

/** A tag that receives no share of the traffic but is still reachable through its own URL. */
export interface TagMarker {
  tag: string;
  label: string;
  url: string | null;
}

export interface TrafficBreakdown {
  segments: TrafficSegment[];
  markers: TagMarker[];
}

export function targetLabel(revision: string | null, latestRevision: boolean): string {
  if (latestRevision) {
    return revision ? `${revision} (latest)` : 'latest (none ready)';
  }
  return revision ?? 'unknown revision';
}

/**
 * Normalises routed traffic into bar segments. Entries for the same target are
 * merged; 0 % entries only add their tag, either to the segment of the same
 * target or, if that target gets no traffic, as a marker beside the bar.
 */
export function trafficSegments(traffic: readonly TrafficStatus[]): TrafficBreakdown {
  const segments = new Map<string, TrafficSegment>();
  const idleTags: { key: string; entry: TrafficStatus }[] = [];

  for (const entry of traffic) {
    const key = `${entry.latestRevision ? 'latest' : 'revision'}:${entry.revision ?? ''}`;
    const percent = Math.max(0, entry.percent || 0);
    if (percent === 0) {
      idleTags.push({ key, entry });
      continue;
    }
    const segment = segments.get(key);
    if (segment) {
      segment.percent += percent;
    } else {
      segments.set(key, {
        key,
        label: targetLabel(entry.revision, entry.latestRevision),
        revision: entry.revision,
        latestRevision: entry.latestRevision,
        percent,
        tags: [],
      });
    }
    if (entry.tag) {
      segments.get(key)?.tags.push(entry.tag);
    }
  }

  const markers: TagMarker[] = [];
  for (const { key, entry } of idleTags) {
    if (!entry.tag) {
      continue;
    }
    const segment = segments.get(key);
    if (segment) {
      segment.tags.push(entry.tag);
    } else {
      markers.push({ tag: entry.tag, label: targetLabel(entry.revision, entry.latestRevision), url: entry.url });
    }
  }

  return { segments: [...segments.values()], markers };
}

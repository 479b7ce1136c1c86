import type { Placement } from '../api/types';

/** The clusters a service runs on, each with its weight where the weights are not all the same. */
export function placementText(placement: Placement | null): string {
  const clusters = placement?.clusters ?? ['local'];
  const weights = placement?.weights ?? {};
  const weightOf = (cluster: string) => weights[cluster] ?? 1;
  const first = weightOf(clusters[0] ?? '');
  const even = clusters.every((cluster) => weightOf(cluster) === first);
  return clusters.map((cluster) => (even ? cluster : `${cluster} (weight ${weightOf(cluster)})`)).join(', ');
}

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { metricsQuery } from '../api/queries';
import type { ServiceMetrics } from '../api/types';
import { align } from '../charts/align';
import { loadAxisLabel, loadUnit } from '../charts/axes';
import { colorOf } from '../charts/palette';
import { TimeChart, type ChartSeries } from '../charts/TimeChart';
import { LoadError } from '../ui/LoadError';

/**
 * Oldest revision first, so each keeps the colour it has in the traffic bar as newer ones arrive; those with requests
 * but no load point this hour have nothing to draw here.
 */
function oldestFirst(metrics: ServiceMetrics) {
  return [...metrics.revisions]
    .sort((a, b) => a.revision.localeCompare(b.revision))
    .map((r, i) => ({ ...r, color: colorOf(i) }))
    .filter((r) => r.t.length > 0);
}

function charts(metrics: ServiceMetrics) {
  const revisions = oldestFirst(metrics);
  const instances = align(revisions.map((r) => ({ t: r.t, values: [r.ready, r.desired] })));
  const instanceSeries: ChartSeries[] = revisions.flatMap((r) => [
    { label: `${r.revision} ready`, color: r.color, unit: 'instances' },
    { label: `${r.revision} wanted`, color: r.color, dash: [6, 4], unit: 'instances' },
  ]);
  const load = align(revisions.map((r) => ({ t: r.t, values: [r.concurrency] })));
  const loadSeries: ChartSeries[] = revisions.map((r) => ({ label: r.revision, color: r.color, unit: loadUnit(r.metric ?? 'concurrency') }));
  return {
    instances,
    instanceSeries,
    load,
    loadSeries,
    loadLabel: loadAxisLabel(revisions.map((r) => r.metric ?? 'concurrency')),
  };
}

/** Instances and load of every revision over the last hour, refreshed every two seconds. */
export function LivePanel({ namespace, name }: { namespace: string; name: string }) {
  const id = useId();
  const metrics = useQuery(metricsQuery(namespace, name));
  const drawn = useMemo(() => (metrics.data ? charts(metrics.data) : null), [metrics.data]);
  const latest = metrics.data && oldestFirst(metrics.data).map((r) => ({
    revision: r.revision,
    ready: r.ready.at(-1) ?? 0,
    desired: r.desired.at(-1) ?? 0,
    load: r.concurrency.at(-1) ?? 0,
    metric: r.metric,
    color: r.color,
  }));

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Instances and load, last hour</h3>
        <span className="muted">{metrics.isFetching ? 'updating…' : 'every 2 s'}</span>
      </div>
      {metrics.isPending && <p className="muted chart-placeholder">Loading…</p>}
      {metrics.error && !metrics.data && <LoadError error={metrics.error} onRetry={() => void metrics.refetch()} />}
      {latest && latest.length === 0 && (
        <p className="empty">No revision of this service is routed, so nothing runs and nothing is measured.</p>
      )}
      {latest && latest.length > 0 && (
        <ul className="live-now" aria-label="Now">
          {latest.map((r) => (
            <li key={r.revision}>
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" />
              <span className="revision-name">{r.revision}</span>: <strong>{r.ready}</strong> of {r.desired} ready,{' '}
              {Math.round(r.load * 100) / 100} {r.metric === 'rps' ? 'requests/s' : 'in flight'}
            </li>
          ))}
        </ul>
      )}
      {drawn && drawn.instanceSeries.length > 0 && (
        <div className="charts">
          <TimeChart
            title="Instances per revision over the last hour"
            x={drawn.instances.x}
            ys={drawn.instances.ys}
            series={drawn.instanceSeries}
            leftLabel="instances"
            leftCounts
          />
          <TimeChart title="Load per revision over the last hour" x={drawn.load.x} ys={drawn.load.ys} series={drawn.loadSeries} leftLabel={drawn.loadLabel} />
        </div>
      )}
    </section>
  );
}

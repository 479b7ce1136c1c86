import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { metricsQuery } from '../api/queries';
import { windowRange } from '../charts/axes';
import { TimeChart } from '../charts/TimeChart';
import { LoadError } from '../ui/LoadError';
import { formatErrorRate, formatLatency, formatRate, requestCharts, requestRows } from './requestsView';

const HOUR_MS = 3_600_000;

/**
 * Each revision's requests over the last hour as the gateways counted them: request rate, error rate and latency, the
 * warm requests apart from those that waited for a cold start. Shares the instances panel's query, so both refresh
 * together every two seconds.
 */
export function RequestsPanel({ namespace, name }: { namespace: string; name: string }) {
  const id = useId();
  const metrics = useQuery(metricsQuery(namespace, name));
  const rows = useMemo(() => (metrics.data ? requestRows(metrics.data) : null), [metrics.data]);
  const drawn = useMemo(() => (rows && rows.length > 0 ? requestCharts(rows) : null), [rows]);
  // The axis spans the hour asked for: a few 10 s steps alone would stretch it over years.
  const range = useMemo(() => windowRange(metrics.dataUpdatedAt, HOUR_MS), [metrics.dataUpdatedAt]);

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Requests, last hour</h3>
        <span className="muted">as the gateways saw them, in 10 s steps</span>
      </div>
      {metrics.isPending && <p className="muted chart-placeholder">Loading…</p>}
      {metrics.error && !metrics.data && <LoadError error={metrics.error} onRetry={() => void metrics.refetch()} />}
      {rows && rows.length === 0 && <p className="empty">No request reached this service in the last hour.</p>}
      {rows && rows.length > 0 && (
        <table className="requests-table">
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Requests</th>
              <th scope="col">Rate</th>
              <th scope="col">Errors (5xx)</th>
              <th scope="col">Latency p50 / p95 / p99</th>
              <th scope="col">Warm only</th>
              <th scope="col">Waited for a cold start</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ revision, color, requests: { summary } }) => (
              <tr key={revision}>
                <th scope="row">
                  <span className="swatch" style={{ background: color }} aria-hidden="true" />
                  <span className="revision-name">{revision}</span>
                </th>
                <td>{summary.requests.toLocaleString()}</td>
                <td>{formatRate(summary.requestsPerSecond)}</td>
                <td className={summary.errors > 0 ? 'errors' : undefined}>
                  {formatErrorRate(summary.errorRate)}
                  {summary.gatewayErrors > 0 && (
                    <span className="muted"> ({summary.gatewayErrors.toLocaleString()} by the gateway)</span>
                  )}
                </td>
                <td>{formatLatency(summary.all)}</td>
                <td>{formatLatency(summary.warm)}</td>
                <td>{summary.coldRequests.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {drawn && (
        <div className="charts">
          <TimeChart title="Requests per second per revision" x={drawn.rate.x} ys={drawn.rate.ys} series={drawn.rateSeries} leftLabel="requests per second" xRange={range} />
          <TimeChart title="Error rate per revision" x={drawn.errors.x} ys={drawn.errors.ys} series={drawn.errorSeries} leftLabel="answered 5xx (%)" xRange={range} />
          <TimeChart
            title="Latency p95 per revision, all and warm"
            x={drawn.latency.x}
            ys={drawn.latency.ys}
            series={drawn.latencySeries}
            leftLabel="p95 latency (ms)"
            xRange={range}
          />
        </div>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { coldStartsQuery, warmQuery } from '../api/queries';
import type { ColdStartEvent } from '../api/types';
import { windowRange } from '../charts/axes';
import { TimeChart, type ChartSeries } from '../charts/TimeChart';
import { useWarm } from './mutations';
import { ProbeAction } from './ProbeAction';
import { coldStartVerdict, formatMillis } from '../services/coldStartVerdict';
import { parseDuration } from '../stats/durations';
import { summarize } from '../stats/percentiles';
import { LoadError } from '../ui/LoadError';
import { local } from '../ui/time';
import { COLD_START_WINDOWS, coldStartColumns, DEFAULT_WINDOW, phaseParts, PHASES, slowest, windowNamed } from './coldStartView';

const SERIES: ChartSeries[] = [
  { label: 'within SLO', color: '#2ca02c', points: true, unit: 'ms' },
  { label: 'over SLO', color: '#d62728', points: true, unit: 'ms' },
  { label: 'SLO', color: '#5b6675', dash: [8, 4], unit: 'ms' },
];

/**
 * The service's cold starts against its SLO: each one over time with the SLO as a line, p50/p95/p99, what
 * the slowest spent their time on, and buttons to keep it warm or to measure cold starts now.
 */
export function ColdStartPanel({ namespace, name, readOnly }: { namespace: string; name: string; readOnly: boolean }) {
  const id = useId();
  const [windowMs, setWindowMs] = useState(DEFAULT_WINDOW.ms);
  const coldStarts = useQuery(coldStartsQuery(namespace, name, windowMs));
  const data = coldStarts.data;
  const sloMs = data ? parseDuration(data.slo) : null;
  const range = useMemo(() => windowRange(coldStarts.dataUpdatedAt, windowMs), [coldStarts.dataUpdatedAt, windowMs]);
  const columns = useMemo(() => coldStartColumns(data?.items ?? [], sloMs, range), [data, sloMs, range]);
  const windowLabel = windowNamed(windowMs).label;
  // The users' experience; the probe's cold starts are counted apart.
  const totals = (data?.items ?? []).flatMap((event) => (event.totalMs === null || event.probe ? [] : [event.totalMs]));
  const overall = summarize(totals);
  const probed = summarize((data?.items ?? []).flatMap((event) => (event.totalMs === null || !event.probe ? [] : [event.totalMs])));

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Cold starts{data && <> against the {data.slo} SLO</>}</h3>
        <div className="field inline-field">
          <label htmlFor={`${id}-window`}>Window</label>
          <select id={`${id}-window`} value={windowMs} onChange={(event) => setWindowMs(Number(event.target.value))}>
            {COLD_START_WINDOWS.map((w) => (
              <option key={w.ms} value={w.ms}>
                {w.label}
              </option>
            ))}
          </select>
        </div>
        {!readOnly && <ColdStartActions namespace={namespace} name={name} />}
      </div>
      {coldStarts.isPending && <p className="muted chart-placeholder">Loading…</p>}
      {coldStarts.error && !data && <LoadError error={coldStarts.error} onRetry={() => void coldStarts.refetch()} />}
      {data && totals.length === 0 && probed.count === 0 && (
        <p className="empty">
          No cold starts in the {windowLabel}. A request to a revision at zero makes one; so does “Measure cold starts”.
        </p>
      )}
      {data && (totals.length > 0 || probed.count > 0) && (
        <>
          <StatRow label="users' cold starts" stats={overall} sloMs={sloMs} />
          {probed.count > 0 && <StatRow label="measured by the probe" stats={probed} sloMs={sloMs} />}
          <TimeChart
            title={`Cold starts over the ${windowLabel} against the ${data.slo} SLO`}
            x={columns.x}
            ys={columns.ys}
            series={SERIES}
            leftLabel="wait until first byte (ms)"
            xRange={range}
          />
          {data.revisions.length > 1 && (
            <table className="compact-table">
              <caption>Per revision</caption>
              <thead>
                <tr>
                  <th scope="col">Revision</th>
                  <th scope="col">Count</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                  <th scope="col">p99</th>
                  <th scope="col">Within SLO</th>
                </tr>
              </thead>
              <tbody>
                {data.revisions.map((r) => (
                  <tr key={r.revision}>
                    <th scope="row" className="revision-name">
                      {r.revision}
                    </th>
                    <td>{r.count}</td>
                    <td>{formatMillis(r.p50Ms)}</td>
                    <td>{formatMillis(r.p95Ms)}</td>
                    <td>{formatMillis(r.p99Ms)}</td>
                    <td>{Math.round(r.withinSlo * 100)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Slowest events={slowest(data.items, 5)} />
        </>
      )}
    </section>
  );
}

/** How many cold starts and their percentiles, each coloured by the SLO. */
function StatRow({ label, stats, sloMs }: { label: string; stats: ReturnType<typeof summarize>; sloMs: number | null }) {
  return (
    <dl className="stat-row" aria-label={label}>
      <Stat label={label} value={String(stats.count)} />
      <Stat label="p50" ms={stats.p50} sloMs={sloMs} />
      <Stat label="p95" ms={stats.p95} sloMs={sloMs} />
      <Stat label="p99" ms={stats.p99} sloMs={sloMs} />
    </dl>
  );
}

function Stat({ label, value, ms, sloMs }: { label: string; value?: string; ms?: number | null; sloMs?: number | null }) {
  const verdict = ms !== undefined && sloMs ? coldStartVerdict(ms, sloMs) : 'none';
  return (
    <div className={`stat slo-${verdict}`}>
      <dt>{label}</dt>
      <dd>{value ?? (ms === null || ms === undefined ? '—' : formatMillis(ms))}</dd>
    </div>
  );
}

/** Where the slowest cold starts spent their time, phase by phase, as stacked bars. */
function Slowest({ events }: { events: ColdStartEvent[] }) {
  const longest = Math.max(1, ...events.map((event) => event.totalMs ?? 0));
  return (
    <div className="slowest">
      <h4>Slowest cold starts, phase by phase</h4>
      <ul className="phase-legend" aria-hidden="true">
        {PHASES.map((phase) => (
          <li key={phase.key}>
            <span className="swatch" style={{ background: phase.color }} /> {phase.label}
          </li>
        ))}
      </ul>
      <ol className="phase-bars">
        {events.map((event) => {
          const parts = phaseParts(event);
          return (
            <li key={`${event.arrived}:${event.requestId ?? event.instance}`}>
              <span className="phase-caption">
                {formatMillis(event.totalMs ?? 0)} · <span className="revision-name">{event.revision}</span> ·{' '}
                <time dateTime={event.arrived}>{local(event.arrived)}</time>
              </span>
              <span className="phase-bar" style={{ width: `${((event.totalMs ?? 0) / longest) * 100}%` }}>
                {parts.map((part) => (
                  <span
                    key={part.key}
                    className="phase-part"
                    style={{ flexGrow: part.ms, background: part.color }}
                    title={`${part.label}: ${formatMillis(part.ms)}`}
                  />
                ))}
              </span>
              <span className="visually-hidden">{parts.map((part) => `${part.label} ${formatMillis(part.ms)}`).join(', ')}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function ColdStartActions({ namespace, name }: { namespace: string; name: string }) {
  const warm = useWarm(namespace, name);
  const warmed = useQuery(warmQuery(namespace, name));
  const active = warmed.data?.items ?? [];
  return (
    <div className="actions">
      <button type="button" className="secondary" onClick={() => warm.mutate({ duration: '10m' })} disabled={warm.isPending}>
        {warm.isPending ? 'Warming…' : 'Keep warm 10 min'}
      </button>
      <ProbeAction namespace={namespace} name={name} />
      <div className="action-results" aria-live="polite">
        {active.map((w) => (
          <p key={w.id} className="muted">
            {w.revision} kept at ≥ {w.instances} until {local(w.until)} (by {w.createdBy})
          </p>
        ))}
        {warm.error && <p className="field-error">Could not keep it warm: {warm.error.message}</p>}
      </div>
    </div>
  );
}

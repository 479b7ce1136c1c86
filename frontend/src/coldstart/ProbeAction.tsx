import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { metricsQuery, serviceQuery } from '../api/queries';
import { ConfirmButton } from '../ui/ConfirmButton';
import { formatMillis } from '../services/coldStartVerdict';
import { useColdStartProbe } from './mutations';
import { probeCandidates } from './probeCandidates';

const PROBE_RUNS = 3;

/**
 * "Measure cold starts": offers only the revisions the probe may take to zero without making users wait (tagged at
 * 0 %, or idle), names the one it will measure, and asks before it does.
 */
export function ProbeAction({ namespace, name }: { namespace: string; name: string }) {
  const service = useQuery(serviceQuery(namespace, name));
  const metrics = useQuery(metricsQuery(namespace, name));
  const probe = useColdStartProbe(namespace, name);
  const candidates = probeCandidates(service.data?.body.status?.traffic ?? [], metrics.data, Date.now());
  const [chosen, setChosen] = useState<string | null>(null);
  const candidate = candidates.find((c) => c.revision === chosen) ?? candidates[0];

  useEffect(() => {
    if (chosen !== null && !candidates.some((c) => c.revision === chosen)) {
      setChosen(null);
    }
  }, [chosen, candidates]);

  if (!service.data) {
    return null;
  }
  return (
    <div className="probe-action">
      {candidates.length === 0 ? (
        <p className="muted">
          Every revision serves users now, so measuring would make them wait. Tag a revision at 0 % to measure it, or come back
          when it has been idle for a minute.
        </p>
      ) : (
        <>
          {candidates.length > 1 && (
            <label>
              Revision{' '}
              <select aria-label="Revision to measure" value={candidate?.revision} onChange={(event) => setChosen(event.target.value)}>
                {candidates.map((c) => (
                  <option key={c.revision} value={c.revision}>
                    {c.revision}
                  </option>
                ))}
              </select>
            </label>
          )}
          {candidate && (
            <ConfirmButton
              label={`Measure cold starts of ${candidate.revision}`}
              question={
                <>
                  Take <strong>{candidate.revision}</strong> to zero {PROBE_RUNS} times and measure each cold start? It{' '}
                  {candidate.why}.
                </>
              }
              confirm={`Measure ${candidate.revision}`}
              pending={probe.isPending}
              onConfirm={() => probe.mutate({ runs: PROBE_RUNS, revision: candidate.revision })}
            >
              {probe.isPending ? 'Measuring…' : `Measure cold starts of ${candidate.revision}`}
            </ConfirmButton>
          )}
        </>
      )}
      {probe.error && <p className="field-error">Could not measure: {probe.error.message}</p>}
      {probe.data && (
        <p className="notice notice-ok">
          Measured {probe.data.runs.filter((run) => run.coldStartMs !== null).length} cold starts of {probe.data.revision}: p50{' '}
          {probe.data.p50Ms === null ? '—' : formatMillis(probe.data.p50Ms)}, max {probe.data.maxMs === null ? '—' : formatMillis(probe.data.maxMs)}.
        </p>
      )}
    </div>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { serviceQuery } from '../api/queries';
import type { Service } from '../api/types';
import { emptyRow, fromSpec, LATEST, preview, problems, rebalance, removeRow, toSpec, total, type DraftRow } from '../traffic/trafficDraft';
import { LoadError } from '../ui/LoadError';
import { useApplyTraffic } from './mutations';

/**
 * Moves traffic between revisions: percent inputs and sliders that always add up to 100, tags, a preview of
 * the change, and an apply that cannot overwrite someone else's change (If-Match).
 */
export function TrafficEditor({ service, etag, revisions }: { service: Service; etag: string | null; revisions: readonly string[] }) {
  const id = useId();
  const stored = service.metadata.resourceVersion;
  // The version the draft started from, with its ETag: applying sends that one, so a change made by someone
  // else in between is refused rather than overwritten, even though the page has already fetched it.
  const [base, setBase] = useState(() => ({ version: stored, etag, rows: fromSpec(service.traffic) }));
  const [rows, setRows] = useState<DraftRow[]>(base.rows);
  const [cause, setCause] = useState('');
  const apply = useApplyTraffic(service.namespace, service.name);
  const queryClient = useQueryClient();
  const edited = preview(base.rows, rows).length > 0;

  // Another version of the service arrived: follow it unless the person is in the middle of an edit.
  const seen = useRef(stored);
  useEffect(() => {
    if (stored !== seen.current) {
      seen.current = stored;
      if (!edited && stored !== base.version) {
        const next = { version: stored, etag, rows: fromSpec(service.traffic) };
        setBase(next);
        setRows(next.rows);
      }
    }
  }, [stored, etag, base.version, edited, service.traffic]);

  const found = problems(rows, revisions);
  const changes = preview(base.rows, rows);
  const conflict = apply.error instanceof ApiError && apply.error.status === 412;

  function discard() {
    const next = { version: stored, etag, rows: fromSpec(service.traffic) };
    setBase(next);
    setRows(next.rows);
    apply.reset();
  }

  // After a 412 the page may not have fetched the other change yet: fetch it now and start again from it.
  async function loadTheirs() {
    const fresh = await queryClient.fetchQuery({ ...serviceQuery(service.namespace, service.name), staleTime: 0 });
    const next = { version: fresh.body.metadata.resourceVersion, etag: fresh.etag, rows: fromSpec(fresh.body.traffic) };
    setBase(next);
    setRows(next.rows);
    apply.reset();
  }

  function submit() {
    apply.mutate(
      { traffic: toSpec(rows), etag: base.etag, changeCause: cause },
      {
        onSuccess: ({ body, etag: newEtag }) => {
          const next = { version: body.metadata.resourceVersion, etag: newEtag, rows: fromSpec(body.traffic) };
          setBase(next);
          setRows(next.rows);
          setCause('');
        },
      },
    );
  }

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Traffic</h3>
        <span className={total(rows) === 100 ? 'total ok' : 'total bad'} aria-live="polite">
          Total {total(rows)}%
        </span>
      </div>
      <table className="traffic-editor">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Percent</th>
            <th scope="col">Tag</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key}>
              <td>
                <select
                  aria-label={`Target of line ${index + 1}`}
                  value={row.target}
                  onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, target: event.target.value } : r)))}
                >
                  <option value={LATEST}>latest ready revision</option>
                  {revisions.map((revision) => (
                    <option key={revision} value={revision}>
                      {revision}
                    </option>
                  ))}
                  {row.target !== LATEST && !revisions.includes(row.target) && <option value={row.target}>{row.target} (unknown)</option>}
                </select>
              </td>
              <td className="percent-cell">
                <input
                  type="range"
                  min={0}
                  max={100}
                  step={1}
                  value={row.percent}
                  aria-label={`Percent of line ${index + 1} (slider)`}
                  onChange={(event) => setRows(rebalance(rows, index, Number(event.target.value)))}
                />
                <input
                  type="number"
                  min={0}
                  max={100}
                  step={1}
                  value={row.percent}
                  aria-label={`Percent of line ${index + 1}`}
                  onChange={(event) => setRows(rebalance(rows, index, Number(event.target.value)))}
                />
              </td>
              <td>
                <input
                  value={row.tag}
                  placeholder="none"
                  aria-label={`Tag of line ${index + 1}`}
                  spellCheck={false}
                  autoCapitalize="none"
                  onChange={(event) => setRows(rows.map((r, i) => (i === index ? { ...r, tag: event.target.value } : r)))}
                />
              </td>
              <td>
                <button type="button" className="secondary" onClick={() => setRows(removeRow(rows, index))} aria-label={`Remove line ${index + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="editor-actions">
        <button type="button" className="secondary" onClick={() => setRows([...rows, emptyRow(revisions[0] ?? LATEST)])}>
          Add line
        </button>
      </div>
      {found.length > 0 && edited && (
        <ul className="notice notice-error" role="alert">
          {found.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      {changes.length > 0 && (
        <div className="preview" aria-live="polite">
          <h4>Preview</h4>
          <ul>
            {changes.map((change) => (
              <li key={change}>{change}</li>
            ))}
          </ul>
          <label htmlFor={`${id}-cause`}>Why (kept in the audit trail)</label>
          <input id={`${id}-cause`} value={cause} onChange={(event) => setCause(event.target.value)} placeholder="canary for model v2" />
          <div className="editor-actions">
            <button type="button" onClick={submit} disabled={found.length > 0 || apply.isPending}>
              {apply.isPending ? 'Applying…' : 'Apply'}
            </button>
            <button type="button" className="secondary" onClick={discard} disabled={apply.isPending}>
              Discard
            </button>
          </div>
        </div>
      )}
      {conflict && (
        <div className="notice notice-error" role="alert">
          <p>Someone changed this service since you opened it, so nothing was applied.</p>
          <button type="button" onClick={() => void loadTheirs()}>
            Load their change (yours is discarded)
          </button>
        </div>
      )}
      {apply.error && !conflict && <LoadError error={apply.error} outcome="Not applied." />}
      {apply.isSuccess && !edited && (
        <p className="notice notice-ok" role="status">
          Applied. The gateways route by it within a moment.
        </p>
      )}
    </section>
  );
}

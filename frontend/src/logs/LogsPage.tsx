import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { logsQuery, revisionQuery, type LogSelection } from '../api/queries';
import { conditionSummary } from '../services/conditionSummary';
import { restartSummary } from '../revision/revisionState';
import { LoadError } from '../ui/LoadError';
import { paths } from '../ui/paths';
import { asText, downloadName, instanceChoices, parseLogText, type LogLine } from './logLines';
import { useFollowedLogs } from './useFollowedLogs';

const TAIL = 1_000;

/**
 * A revision's logs: every instance's last lines or one instance's, their current runs or the runs before (what a
 * crash printed), read once or followed as they are printed, and downloadable as shown.
 */
export function LogsPage({ namespace, name, revision }: { namespace: string; name: string; revision: string }) {
  const id = useId();
  const [instance, setInstance] = useState<string | null>(null);
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(false);
  const selection: LogSelection = { instance, previous, tail: TAIL };
  const described = useQuery(revisionQuery(namespace, name, revision));
  const once = useQuery({ ...logsQuery(namespace, name, revision, selection), enabled: !follow });
  const followed = useFollowedLogs(namespace, name, revision, selection, follow);

  const lines: LogLine[] = follow ? followed.lines : parseLogText(once.data ?? '');
  const current = described.data?.status.instances?.items?.map((item) => item.name) ?? [];
  const choices = instanceChoices(revision, current, lines);
  const ready = described.data ? conditionSummary(described.data.status.conditions) : null;
  const restarts = described.data ? restartSummary(described.data) : null;

  function download() {
    const url = URL.createObjectURL(new Blob([asText(lines)], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = downloadName(revision, instance, previous);
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section className="logs-page" aria-labelledby={`${id}-heading`}>
      <p>
        <Link href={paths.service(namespace, name)}>← {name}</Link>
      </p>
      <h2 id={`${id}-heading`}>
        Logs of <span className="revision-name">{revision}</span>
      </h2>
      {ready && ready.status !== 'True' && <p className="reason-line">{ready.sentence}</p>}
      {restarts && <p className="muted">Instances {restarts}.</p>}
      <div className="actions log-controls">
        <label>
          Instance{' '}
          <select value={instance ?? ''} onChange={(event) => setInstance(event.target.value || null)}>
            <option value="">All instances</option>
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={previous}
            onChange={(event) => {
              setPrevious(event.target.checked);
              if (event.target.checked) {
                setFollow(false);
              }
            }}
          />{' '}
          Previous run (what a crashed run printed)
        </label>
        <label>
          <input type="checkbox" checked={follow} disabled={previous} onChange={(event) => setFollow(event.target.checked)} /> Follow
        </label>
        <button type="button" className="secondary small" onClick={download} disabled={lines.length === 0}>
          Download
        </button>
        {!follow && (
          <button type="button" className="secondary small" onClick={() => void once.refetch()} disabled={once.isFetching}>
            {once.isFetching ? 'Reading…' : 'Read again'}
          </button>
        )}
      </div>
      {follow && (
        <p role="status" className="muted">
          {followed.ended ? 'The stream ended; untick and tick Follow to open it again.' : 'Following: new lines appear as they are printed.'}
        </p>
      )}
      {!follow && once.isPending && (
        <p role="status" className="muted">
          Reading the logs…
        </p>
      )}
      {!follow && once.error && <LoadError error={once.error} onRetry={() => void once.refetch()} />}
      {follow && followed.error && <LoadError error={followed.error} onRetry={() => setFollow(false)} />}
      {lines.length === 0 && !once.isPending && !(follow && !followed.ended && !followed.error) && (
        <p className="empty">{previous ? 'No previous run: these instances have not restarted.' : 'No lines yet.'}</p>
      )}
      {lines.length > 0 && (
        <pre className="log-view" aria-label={`Log lines of ${revision}`} tabIndex={0}>
          {lines.map((line, index) => (
            <div key={index} className={line.start ? 'log-line log-start' : 'log-line'}>
              <span className="log-time">{line.time}</span> <span className="log-instance">{line.instance}</span> {line.text}
            </div>
          ))}
        </pre>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { revisionDiffQuery } from '../api/queries';
import type { Revision, TrafficStatus } from '../api/types';
import { RevisionActions } from '../revision/RevisionActions';
import { conditionSummary } from '../services/conditionSummary';
import { ChangeList } from '../ui/ChangeList';
import { LoadError } from '../ui/LoadError';
import { ago, local } from '../ui/time';
import { triggerText } from './revisionTrigger';

/** The share of traffic each revision gets now, by name. */
function shares(traffic: readonly TrafficStatus[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const entry of traffic) {
    if (entry.revision) {
      result.set(entry.revision, (result.get(entry.revision) ?? 0) + entry.percent);
    }
  }
  return result;
}

/**
 * Every revision, newest first: who made it, when and why, what it runs (tag, digest, and what made it: a person, CI,
 * a registry push or the poll), how it is doing and what it gets of the traffic. Two can be picked to compare; a ready one can be rolled back to.
 */
export function RevisionTimeline({
  namespace,
  service,
  revisions,
  traffic,
  onRollBack,
  readOnly,
}: {
  namespace: string;
  service: string;
  revisions: readonly Revision[];
  traffic: readonly TrafficStatus[];
  onRollBack: (revision: string) => void;
  readOnly: boolean;
}) {
  const id = useId();
  const ordered = [...revisions].sort((a, b) => b.generation - a.generation);
  const [picked, setPicked] = useState<string[]>([]);
  const share = shares(traffic);

  function toggle(name: string) {
    setPicked((current) => (current.includes(name) ? current.filter((n) => n !== name) : [...current, name].slice(-2)));
  }

  const [from, to] = [...picked].sort((a, b) => {
    const ga = revisions.find((r) => r.name === a)?.generation ?? 0;
    const gb = revisions.find((r) => r.name === b)?.generation ?? 0;
    return ga - gb;
  });

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>Revisions</h3>
        <span className="muted">Tick two to compare them.</span>
      </div>
      {ordered.length === 0 && <p className="empty">No revisions yet.</p>}
      <ol className="timeline">
        {ordered.map((revision) => {
          const ready = conditionSummary(revision.status.conditions);
          const percent = share.get(revision.name) ?? 0;
          return (
            <li key={revision.name} className="timeline-item">
              <div className="timeline-head">
                <label className="compare">
                  <input type="checkbox" checked={picked.includes(revision.name)} onChange={() => toggle(revision.name)} />
                  <span className="visually-hidden">Compare {revision.name}</span>
                </label>
                <strong className="revision-name">{revision.name}</strong>
                <span className={`badge ready-${ready.status.toLowerCase()}`}>{ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'Failed' : 'Pending'}</span>
                {percent > 0 && <span className="badge traffic-share-badge">{percent}% of traffic</span>}
                {!readOnly && ready.status === 'True' && percent !== 100 && (
                  <button type="button" className="secondary small" onClick={() => onRollBack(revision.name)}>
                    Roll back to this
                  </button>
                )}
              </div>
              <p className="timeline-meta">
                <time dateTime={revision.metadata.createdAt} title={local(revision.metadata.createdAt)}>
                  {ago(revision.metadata.createdAt)}
                </time>{' '}
                by <span className="actor">{revision.metadata.createdBy}</span>
                {revision.metadata.changeCause && <> — “{revision.metadata.changeCause}”</>}
              </p>
              <p className="timeline-detail">
                <span>
                  image <code>{revision.template.image || '(none: runs a local command)'}</code>
                  {revision.template.imagePolicy === 'follow-tag' && <span className="muted"> (follows the tag)</span>}
                </span>
                <Digest revision={revision} />
                <span>made by {triggerText(revision.metadata.trigger)}</span>
              </p>
              {revision.metadata.changes && <p className="timeline-detail">changed: {revision.metadata.changes}</p>}
              {ready.status !== 'True' && <p className="reason-line">{ready.sentence}</p>}
              {revision.status.instances && (
                <p className="timeline-detail muted">
                  {revision.status.instances.ready} of {revision.status.instances.desired} instances ready
                </p>
              )}
              <RevisionActions namespace={namespace} service={service} revision={revision} readOnly={readOnly} />
              {revision.status.instances?.items && revision.status.instances.items.length > 0 && (
                <ul className="instance-list" aria-label={`Instances of ${revision.name}`}>
                  {revision.status.instances.items.map((instance) => (
                    <li key={instance.name}>
                      <code>{instance.name}</code> on {instance.node ?? 'no node yet'}
                      {instance.ip && <> at {instance.ip}</>} — {instance.ready ? 'ready' : 'not ready'}
                      {instance.restarts > 0 && <>, restarted {instance.restarts} {instance.restarts === 1 ? 'time' : 'times'}</>}
                      {instance.nextRestart && <>, exited; starts again {ago(instance.nextRestart)}</>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      {from && to && <RevisionDiffView namespace={namespace} service={service} from={from} to={to} />}
    </section>
  );
}

function RevisionDiffView({ namespace, service, from, to }: { namespace: string; service: string; from: string; to: string }) {
  const diff = useQuery(revisionDiffQuery(namespace, service, from, to));
  return (
    <div className="diff" aria-live="polite">
      <h4>
        {from} → {to}
      </h4>
      {diff.isPending && <p className="muted">Comparing…</p>}
      {diff.error && <LoadError error={diff.error} onRetry={() => void diff.refetch()} />}
      {diff.data && <ChangeList changes={diff.data.changes} empty="The two revisions run the same template." />}
    </div>
  );
}

/**
 * The digest the revision runs: pinned in its template, or its tag resolved by Ebb (the ImageResolved condition),
 * while resolving, or why the tag could not be resolved.
 */
function Digest({ revision }: { revision: Revision }) {
  const image = revision.template.image;
  if (!image) {
    return null;
  }
  const resolved = revision.status.conditions.find((c) => c.type === 'ImageResolved');
  const running = revision.status.image ?? image;
  const at = running.indexOf('@');
  if (at >= 0 && (!resolved || resolved.status === 'True')) {
    return (
      <span>
        digest <code>{running.slice(at + 1)}</code>
        {resolved?.reason === 'Resolved' && <span className="muted"> (resolved from the tag)</span>}
      </span>
    );
  }
  if (resolved?.status === 'Unknown') {
    return <span className="muted">resolving the tag to a digest…</span>;
  }
  if (resolved?.status === 'False') {
    return <span className="muted">digest not resolved: {resolved.message}</span>;
  }
  return <span className="muted">{resolved?.message ?? 'no digest recorded (made before Ebb resolved tags)'}</span>;
}

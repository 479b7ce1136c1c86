import { Link } from 'wouter';
import type { Revision } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { paths } from '../ui/paths';
import { ago, local } from '../ui/time';
import { useRevisionAction } from './mutations';
import { isFailing, restartSummary, revisionActions } from './revisionState';

/**
 * Under a revision of the timeline: its crash back-off in words, who stopped it, a link to its logs (first for a failing
 * revision) and, for deployers, Stop and Retry where they apply.
 */
export function RevisionActions({ namespace, service, revision, readOnly }: { namespace: string; service: string; revision: Revision; readOnly: boolean }) {
  const action = useRevisionAction(namespace, service);
  const offered = revisionActions(revision);
  const restarts = restartSummary(revision);
  const stopped = revision.status.stopped;
  const pending = action.isPending && action.variables?.revision === revision.name;
  return (
    <div className="revision-actions">
      {restarts && <p className="timeline-detail">Instances {restarts}.</p>}
      {stopped && (
        <p className="timeline-detail">
          Stopped by <span className="actor">{stopped.by}</span>{' '}
          <time dateTime={stopped.at} title={local(stopped.at)}>
            {ago(stopped.at)}
          </time>
          ; it runs no instance until it is retried.
        </p>
      )}
      <div className="actions">
        <Link
          href={paths.revisionLogs(namespace, service, revision.name)}
          className={isFailing(revision) ? 'button-link small' : 'button-link secondary small'}
          aria-label={`Logs of ${revision.name}`}
        >
          Logs
        </Link>
        {!readOnly && offered.stop && (
          <ConfirmButton
            label={`Stop ${revision.name}`}
            question={`Stop ${revision.name}? Its instances stop, and it is not tried again until someone retries it.`}
            confirm="Stop it"
            pending={pending}
            onConfirm={() => action.mutate({ revision: revision.name, action: 'stop' })}
          >
            Stop
          </ConfirmButton>
        )}
        {!readOnly && offered.retry && (
          <button
            type="button"
            className="secondary small"
            aria-label={`Retry ${revision.name}`}
            disabled={pending}
            onClick={() => action.mutate({ revision: revision.name, action: 'retry' })}
          >
            {pending && action.variables?.action === 'retry' ? 'Retrying…' : 'Retry'}
          </button>
        )}
      </div>
      {action.error && action.variables?.revision === revision.name && (
        <p role="alert" className="notice notice-error">
          Could not {action.variables.action} {revision.name}: {action.error.message}
        </p>
      )}
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { ApiError, changeHeaders, fetchJson } from '../api/client';
import { rolloutPath, rolloutQuery, serviceQueryKey } from '../api/queries';
import type { Rollout } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { LoadError } from '../ui/LoadError';
import { local } from '../ui/time';
import { actionsFor, figuresText, stateTone, type RolloutAction } from './rolloutView';

function useRolloutAction(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: RolloutAction) =>
      fetchJson<Rollout>(rolloutPath(namespace, name), {
        method: 'POST',
        headers: changeHeaders(`${action} the rollout from the console`),
        body: JSON.stringify({ action }),
      }),
    onSuccess: (rollout) => {
      queryClient.setQueryData(rolloutQuery(namespace, name).queryKey, rollout);
      void queryClient.invalidateQueries({ queryKey: serviceQueryKey(namespace, name) });
    },
  });
}

/**
 * The service's latest rollout as a timeline of its steps: each step's share, what the gateways measured of the new and
 * the stable revision during it, and what was decided; the step in progress with its figures so far, and the buttons.
 * A service that never rolled out shows nothing.
 */
export function RolloutPanel({ namespace, name, readOnly }: { namespace: string; name: string; readOnly: boolean }) {
  const id = useId();
  const rollout = useQuery(rolloutQuery(namespace, name));
  const act = useRolloutAction(namespace, name);
  if (rollout.error instanceof ApiError && rollout.error.status === 404) {
    return null;
  }
  if (rollout.error && !rollout.data) {
    return <LoadError error={rollout.error} onRetry={() => void rollout.refetch()} />;
  }
  const r = rollout.data;
  if (!r || !r.stableRevision) {
    return null;
  }
  return (
    <section className="panel rollout" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h3 id={`${id}-heading`}>
          Rollout of {r.revision} from {r.stableRevision}
        </h3>
        <span className={`badge rollout-${stateTone(r.state)}`}>{r.state}</span>
        <span className="muted">
          {r.strategy}, step {r.step} of {r.totalSteps}, {r.percent} % to {r.revision}
        </span>
      </div>
      {r.reason && <p className="rollout-reason">{r.reason}</p>}
      <ol className="rollout-steps">
        {r.steps.map((step) => (
          <li key={step.step} className={`rollout-step decision-${step.decision}`}>
            <strong>
              Step {step.step}: {step.percent} %
            </strong>{' '}
            <span className="muted">
              {local(step.startedAt)} – {local(step.endedAt)}
            </span>
            <dl>
              <dt>{r.revision}</dt>
              <dd>{figuresText(step.candidate)}</dd>
              <dt>{r.stableRevision}</dt>
              <dd>{figuresText(step.stable)}</dd>
            </dl>
            <p>
              <span className="decision">{step.decision}</span> {step.reason}
            </p>
          </li>
        ))}
        {r.current && (
          <li className="rollout-step current" aria-current="step">
            <strong>
              Step {r.step}: {r.percent} %
            </strong>{' '}
            <span className="muted">since {local(r.current.startedAt)}</span>
            <dl>
              <dt>{r.revision}</dt>
              <dd>{figuresText(r.current.candidate)}</dd>
              <dt>{r.stableRevision}</dt>
              <dd>{figuresText(r.current.stable)}</dd>
            </dl>
          </li>
        )}
      </ol>
      {!readOnly && actionsFor(r.state).length > 0 && (
        <div className="editor-actions">
          {actionsFor(r.state).map((action) =>
            action === 'abort' ? (
              <ConfirmButton
                key={action}
                question={`Send all traffic back to ${r.stableRevision} and end this rollout?`}
                confirm="Abort"
                pending={act.isPending}
                onConfirm={() => act.mutate(action)}
              >
                Abort
              </ConfirmButton>
            ) : (
              <button
                key={action}
                type="button"
                className={action === 'promote' ? '' : 'secondary'}
                disabled={act.isPending}
                onClick={() => act.mutate(action)}
              >
                {action === 'promote' ? `Promote ${r.revision}` : action === 'pause' ? 'Pause' : 'Resume'}
              </button>
            ),
          )}
        </div>
      )}
      {act.error && (
        <p role="alert" className="field-error">
          Not done: {act.error.message}
        </p>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'wouter';
import { isUnauthorized } from '../api/client';
import { serviceChangesQuery, type ServiceFilter } from '../api/queries';
import type { ServiceChange } from '../api/types';
import { ServiceFilters } from '../services/ServiceFilters';
import { ServiceList } from '../services/ServiceList';
import { useDebounced } from '../services/useDebounced';
import { LoadError } from '../ui/LoadError';
import { local } from '../ui/time';
import { fromLocalInput, instantShowing, toLocalInput } from './instants';

/**
 * Services and their traffic as they were stored at a chosen instant, from the snapshots every change keeps (spec
 * writes and the readiness observed since). Without a chosen instant it starts at the last change.
 */
export function HistoryPage() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const changes = useQuery(serviceChangesQuery());
  const latest = changes.data?.items[0];
  const chosen = params.get('at');
  const at = chosen ?? (latest ? instantShowing(latest.at).toISOString() : null);
  // What was typed; until someone types, the input shows the instant on screen.
  const [typed, setTyped] = useState<string | null>(null);
  const draftAt = typed ?? (at ? toLocalInput(new Date(at)) : '');
  const [draft, setDraft] = useState<ServiceFilter>({ namespace: '', labelSelector: '', q: '' });
  const filter = useDebounced(draft, 250);
  const [invalid, setInvalid] = useState<string | null>(null);

  function go(instant: Date) {
    setInvalid(null);
    setTyped(null);
    setParams({ at: instant.toISOString() }, { replace: false });
  }

  function show(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const instant = fromLocalInput(draftAt);
    if (!instant) {
      setInvalid('Pick a date and a time.');
      return;
    }
    if (instant.getTime() > Date.now()) {
      setInvalid('Pick a moment in the past: the future has not been stored yet.');
      return;
    }
    go(instant);
  }

  return (
    <section className="panel" aria-labelledby="history-heading">
      <div className="panel-header">
        <h2 id="history-heading">Point in time</h2>
      </div>
      <form className="filters" onSubmit={show}>
        <div className="field">
          <label htmlFor={`${id}-at`}>Instant (your time zone)</label>
          <input
            id={`${id}-at`}
            type="datetime-local"
            step={1}
            value={draftAt}
            onChange={(event) => setTyped(event.target.value)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
          />
        </div>
        <button type="submit">Show</button>
        {changes.data && changes.data.items.length > 0 && (
          <RecentChanges changes={changes.data.items} onPick={(change) => go(instantShowing(change.at))} />
        )}
      </form>
      {invalid && (
        <p id={`${id}-invalid`} role="alert" className="field-error">
          {invalid}
        </p>
      )}
      {changes.error && !chosen && !isUnauthorized(changes.error) && (
        <LoadError error={changes.error} onRetry={() => void changes.refetch()} />
      )}
      {at ? (
        <>
          <p className="muted">
            {chosen ? 'As stored at' : 'As stored at the last change,'} <time dateTime={at}>{new Date(at).toLocaleString()}</time> ({at}).
            Status is what was observed then; instances and cold starts are not kept for the past.
          </p>
          <ServiceFilters filter={draft} namespaces={[]} onChange={setDraft} />
          <ServiceList filter={{ ...filter, at }} caption={`Services at ${at}`} />
        </>
      ) : changes.isPending ? (
        <p role="status" className="muted list-status">
          Finding the last change…
        </p>
      ) : (
        <p className="empty">
          {changes.data ? 'No service has changed yet: there is no past to show.' : 'Pick an instant to see every service and its traffic as they were then.'}
        </p>
      )}
    </section>
  );
}

/** The latest changes as a list to jump to: each shows the services just after it. */
function RecentChanges({ changes, onPick }: { changes: readonly ServiceChange[]; onPick: (change: ServiceChange) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-changes`}>Or jump to a recent change</label>
      <select
        id={`${id}-changes`}
        value=""
        onChange={(event) => {
          const change = changes[Number(event.target.value)];
          if (change) {
            onPick(change);
          }
        }}
      >
        <option value="">{changes.length} latest changes…</option>
        {changes.map((change, i) => (
          <option key={`${change.namespace}/${change.name}/${change.at}`} value={i}>
            {local(change.at)} · {change.namespace}/{change.name}
            {change.deleted ? ' deleted' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

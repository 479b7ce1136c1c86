import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'wouter';
import type { ServiceFilter } from '../api/queries';
import { ServiceFilters } from '../services/ServiceFilters';
import { ServiceList } from '../services/ServiceList';
import { useDebounced } from '../services/useDebounced';
import { fromLocalInput, toLocalInput } from './instants';

/** Services and their traffic as they were stored at a chosen instant, from the snapshots every change keeps. */
export function HistoryPage() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const at = params.get('at');
  const [draftAt, setDraftAt] = useState(() => (at ? toLocalInput(new Date(at)) : toLocalInput(new Date(Date.now() - 3_600_000))));
  const [draft, setDraft] = useState<ServiceFilter>({ namespace: '', labelSelector: '', q: '' });
  const filter = useDebounced(draft, 250);
  const [invalid, setInvalid] = useState<string | null>(null);

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
    setInvalid(null);
    setParams({ at: instant.toISOString() }, { replace: false });
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
            onChange={(event) => setDraftAt(event.target.value)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
          />
        </div>
        <button type="submit">Show</button>
      </form>
      {invalid && (
        <p id={`${id}-invalid`} role="alert" className="field-error">
          {invalid}
        </p>
      )}
      {at ? (
        <>
          <p className="muted">
            As stored at <time dateTime={at}>{new Date(at).toLocaleString()}</time> ({at}). Instances and cold starts are not kept
            for the past.
          </p>
          <ServiceFilters filter={draft} namespaces={[]} onChange={setDraft} />
          <ServiceList filter={{ ...filter, at }} caption={`Services at ${at}`} />
        </>
      ) : (
        <p className="empty">Pick an instant to see every service and its traffic as they were then.</p>
      )}
    </section>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { isUnauthorized } from '../api/client';
import { servicesQuery } from '../api/queries';
import { LoadError } from '../ui/LoadError';
import { ServicesTable } from './ServicesTable';

// Kubernetes-style DNS label, the form namespaces take.
const NAMESPACE_PATTERN = '[a-z0-9]([\\-a-z0-9]*[a-z0-9])?';

// A 401 is not shown here: the app returns to the sign-in form for it.
export function ServicesPanel() {
  const [namespace, setNamespace] = useState('default');
  const [draft, setDraft] = useState(namespace);
  const inputId = useId();
  const query = useInfiniteQuery(servicesQuery(namespace));
  const { data, error, isPending, hasNextPage, isFetchingNextPage, isFetchNextPageError } = query;

  function showNamespace(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNamespace(draft.trim());
  }

  const services = data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="panel" aria-labelledby="services-heading">
      <div className="panel-header">
        <h2 id="services-heading">
          Services in <span className="namespace">{namespace}</span>
        </h2>
        <form className="namespace-form" onSubmit={showNamespace}>
          <label htmlFor={inputId}>Namespace</label>
          <input
            id={inputId}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            required
            pattern={NAMESPACE_PATTERN}
            maxLength={63}
            spellCheck={false}
            autoCapitalize="none"
          />
          <button type="submit">Show</button>
        </form>
      </div>

      {isPending && !error && (
        <p role="status" className="muted">
          Loading services…
        </p>
      )}
      {error && !data && !isUnauthorized(error) && <LoadError error={error} onRetry={() => void query.refetch()} />}
      {data && services.length === 0 && <p className="empty">No services in namespace {namespace}.</p>}
      {services.length > 0 && (
        <>
          <div className="table-scroll" role="region" aria-labelledby="services-heading" tabIndex={0}>
            <ServicesTable namespace={namespace} services={services} />
          </div>
          <div className="list-footer">
            <span className="muted">
              {services.length} {services.length === 1 ? 'service' : 'services'}
              {hasNextPage && ', more available'}
            </span>
            {hasNextPage && (
              <button type="button" onClick={() => void query.fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? 'Loading more…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
      {error && isFetchNextPageError && !isUnauthorized(error) && (
        <LoadError error={error} onRetry={() => void query.fetchNextPage()} />
      )}
    </section>
  );
}

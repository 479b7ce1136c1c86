import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import { paths } from '../ui/paths';
import type { ServiceFilter } from '../api/queries';
import { sessionQuery } from '../api/session';
import { grantedNamespaces } from '../auth/namespaces';
import { ServiceFilters } from './ServiceFilters';
import { ServiceList } from './ServiceList';
import { useDebounced } from './useDebounced';

/** Every service the caller may see, with its health, traffic, instances and cold starts, filterable. */
export function ServicesPage() {
  const [params, setParams] = useSearchParams();
  const session = useQuery(sessionQuery());
  const [draft, setDraft] = useState<ServiceFilter>(() => ({
    namespace: params.get('namespace') ?? '',
    labelSelector: params.get('labelSelector') ?? '',
    q: params.get('q') ?? '',
  }));
  const filter = useDebounced(draft, 250);

  function change(next: ServiceFilter) {
    setDraft(next);
    // The address keeps the filter, so a link or a reload shows the same list.
    setParams(
      Object.fromEntries(Object.entries({ namespace: next.namespace, labelSelector: next.labelSelector, q: next.q }).filter(([, v]) => v)),
      { replace: true },
    );
  }

  return (
    <section className="panel" aria-labelledby="services-heading">
      <div className="panel-header">
        <h2 id="services-heading">Services</h2>
        <Link href={paths.newService} className="button-link">
          New service
        </Link>
      </div>
      <ServiceFilters filter={draft} namespaces={grantedNamespaces(session.data?.grants ?? [])} onChange={change} />
      <ServiceList filter={filter} caption="Services" />
    </section>
  );
}

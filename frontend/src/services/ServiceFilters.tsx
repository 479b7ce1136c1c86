import { useId } from 'react';
import type { ServiceFilter } from '../api/queries';

/** Namespace, label selector and name search: the three ways to narrow the overview, as plain inputs. */
export function ServiceFilters({
  filter,
  namespaces,
  onChange,
}: {
  filter: ServiceFilter;
  namespaces: readonly string[];
  onChange: (filter: ServiceFilter) => void;
}) {
  const id = useId();
  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-ns`}>Namespace</label>
        <input
          id={`${id}-ns`}
          list={`${id}-ns-list`}
          value={filter.namespace}
          placeholder="all"
          onChange={(event) => onChange({ ...filter, namespace: event.target.value })}
          spellCheck={false}
          autoCapitalize="none"
        />
        <datalist id={`${id}-ns-list`}>
          {namespaces.map((namespace) => (
            <option key={namespace} value={namespace} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${id}-label`}>Labels</label>
        <input
          id={`${id}-label`}
          value={filter.labelSelector}
          placeholder="team=ml,tier!=batch"
          onChange={(event) => onChange({ ...filter, labelSelector: event.target.value })}
          spellCheck={false}
          autoCapitalize="none"
        />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-q`}>Name contains</label>
        <input
          id={`${id}-q`}
          type="search"
          value={filter.q}
          onChange={(event) => onChange({ ...filter, q: event.target.value })}
          spellCheck={false}
          autoCapitalize="none"
        />
      </div>
    </form>
  );
}

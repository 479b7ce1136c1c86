import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSearchParams } from 'wouter';
import { ApiError, isUnauthorized } from '../api/client';
import { auditQuery, type AuditFilter } from '../api/queries';
import { sessionQuery } from '../api/session';
import { grantedNamespaces } from '../auth/namespaces';
import { useDebounced } from '../services/useDebounced';
import { LoadError } from '../ui/LoadError';
import { AUDIT_ACTIONS } from './auditChanges';
import { AuditEventItem } from './AuditEventItem';
import { auditFilterOf, draftFromParams, paramsOf, rangeProblem, type AuditDraft } from './auditFilter';
import { ChainStatus } from './ChainStatus';

/** Who changed what, when and why: the audit trail, filterable, with the verdict on its hash chain. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const session = useQuery(sessionQuery());
  const [draft, setDraft] = useState<AuditDraft>(() => draftFromParams(params));
  const filter = useDebounced(auditFilterOf(draft), 250);
  const grants = session.data?.grants ?? [];
  const everywhere = grants.some((grant) => grant.namespace === '*');

  function change(next: AuditDraft) {
    setDraft(next);
    // The address keeps the filter, so a link or a reload shows the same events.
    setParams(paramsOf(auditFilterOf(next)), { replace: true });
  }

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <div className="panel-header">
        <h2 id="audit-heading">Audit trail</h2>
      </div>
      <ChainStatus everywhere={everywhere} />
      <AuditFilters draft={draft} namespaces={grantedNamespaces(grants)} onChange={change} />
      <AuditEvents filter={filter} />
    </section>
  );
}

function AuditFilters({
  draft,
  namespaces,
  onChange,
}: {
  draft: AuditDraft;
  namespaces: readonly string[];
  onChange: (draft: AuditDraft) => void;
}) {
  const id = useId();
  const text = (key: 'namespace' | 'service' | 'actor', label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        list={key === 'namespace' ? `${id}-ns-list` : undefined}
        value={draft[key]}
        placeholder={hint}
        onChange={(event) => onChange({ ...draft, [key]: event.target.value })}
        spellCheck={false}
        autoCapitalize="none"
      />
    </div>
  );
  const time = (key: 'since' | 'until', label: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type="datetime-local"
        step={1}
        value={draft[key]}
        onChange={(event) => onChange({ ...draft, [key]: event.target.value })}
      />
    </div>
  );
  return (
    <form className="filters" role="search" aria-label="Audit events" onSubmit={(event) => event.preventDefault()}>
      {text('namespace', 'Namespace', 'all')}
      <datalist id={`${id}-ns-list`}>
        {namespaces.map((namespace) => (
          <option key={namespace} value={namespace} />
        ))}
      </datalist>
      {text('service', 'Service')}
      {text('actor', 'Actor', 'user:alice')}
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <select id={`${id}-action`} value={draft.action} onChange={(event) => onChange({ ...draft, action: event.target.value })}>
          <option value="">any</option>
          {actionChoices(draft.action).map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      {time('since', 'Since (your time zone)')}
      {time('until', 'Until (your time zone)')}
    </form>
  );
}

/** The known actions, and one from the address this console does not know yet, so the select can show it. */
function actionChoices(current: string): string[] {
  const known: readonly string[] = AUDIT_ACTIONS;
  return current && !known.includes(current) ? [...known, current] : [...known];
}

function AuditEvents({ filter }: { filter: AuditFilter }) {
  const problem = rangeProblem(filter);
  const query = useInfiniteQuery({ ...auditQuery(filter), enabled: problem === null });
  const { data, error, hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage, isPlaceholderData } = query;
  const events = data?.pages.flatMap((page) => page.items) ?? [];

  if (problem) {
    return (
      <p role="alert" className="list-status field-error">
        {problem}
      </p>
    );
  }
  if (error && !isFetchNextPageError) {
    if (isUnauthorized(error)) {
      return null;
    }
    // Without a role in every namespace the whole trail is refused; the server says so, and one namespace will do.
    if (error instanceof ApiError && error.status === 403 && !filter.namespace) {
      return (
        <div role="alert" className="notice">
          <p>{error.detail ?? error.title}</p>
          <p>Type a namespace you hold a role in above to see its events.</p>
        </div>
      );
    }
    return <LoadError error={error} onRetry={() => void query.refetch()} />;
  }
  if (!data) {
    return (
      <p role="status" className="muted list-status">
        Loading events…
      </p>
    );
  }

  return (
    <>
      <p role="status" className="muted list-status">
        {events.length === 0
          ? 'No events match.'
          : `${events.length.toLocaleString()} ${events.length === 1 ? 'event' : 'events'}${hasNextPage ? ' loaded, newest first' : ', newest first'}`}
        {isPlaceholderData && ' · updating…'}
      </p>
      {events.length > 0 && (
        <>
          <div className="audit-columns" aria-hidden="true">
            <span>Time</span>
            <span>Actor</span>
            <span>Action</span>
            <span>Namespace/service</span>
            <span>Change cause</span>
          </div>
          <ol className="audit-list" aria-label="Audit events">
            {events.map((event) => (
              <AuditEventItem key={event.id} event={event} />
            ))}
          </ol>
        </>
      )}
      {error && isFetchNextPageError && !isUnauthorized(error) && <LoadError error={error} onRetry={() => void fetchNextPage()} />}
      <div className="list-status">
        {hasNextPage && (
          <button type="button" className="secondary" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        )}
      </div>
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import { ApiError, isUnauthorized } from '../api/client';
import { chainQuery } from '../api/queries';
import { LoadError } from '../ui/LoadError';
import { chainSummary } from './chainSummary';

const NEEDS_EVERY_NAMESPACE = 'Chain verification needs a role in every namespace.';

/**
 * Whether the audit trail's hash chain is intact, checked on the server. Callers without a role in every namespace
 * are not asked for it, since the server would refuse them.
 */
export function ChainStatus({ everywhere }: { everywhere: boolean }) {
  const chain = useQuery({ ...chainQuery(), enabled: everywhere });
  const { data, error } = chain;

  let content;
  if (!everywhere || (error instanceof ApiError && error.status === 403)) {
    content = <p className="muted">{NEEDS_EVERY_NAMESPACE}</p>;
  } else if (error) {
    content = isUnauthorized(error) ? null : <LoadError error={error} onRetry={() => void chain.refetch()} />;
  } else if (!data) {
    content = (
      <p role="status" className="muted">
        Verifying the audit chain…
      </p>
    );
  } else {
    const summary = chainSummary(data);
    content = (
      <div className={`notice ${summary.intact ? 'notice-ok' : 'notice-error'}`} role={summary.intact ? 'status' : 'alert'}>
        <p>
          <strong>{summary.headline}</strong>
        </p>
        {summary.detail && <p>{summary.detail}</p>}
        {data.lastHash && (
          <p className="chain-hash">
            {summary.intact ? 'Newest hash' : 'Last intact hash'}
            {data.lastEventId !== null && <> (event #{data.lastEventId})</>}: <code>{data.lastHash}</code>
          </p>
        )}
        <button type="button" className="secondary small" onClick={() => void chain.refetch()} disabled={chain.isFetching}>
          {chain.isFetching ? 'Verifying…' : 'Verify again'}
        </button>
      </div>
    );
  }
  return <div className="chain-status">{content}</div>;
}

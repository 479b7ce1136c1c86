import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { isUnauthorized } from '../api/client';
import { LoadError } from './LoadError';

/**
 * Whether a list is still loading, or what went wrong asking for it with a way to try again. A 401 shows nothing here:
 * the console as a whole asks to sign in again.
 */
export function ListProgress({ query, loading }: { query: UseQueryResult<unknown>; loading: string }) {
  return (
    <>
      {query.error && !isUnauthorized(query.error) && <LoadError error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending && (
        <p role="status" className="muted list-status">
          {loading}
        </p>
      )}
    </>
  );
}

/** The heading of a column of buttons, for screen readers only. */
export const ACTIONS_COLUMN = <span className="visually-hidden">Actions</span>;

/** A list's table under the heading `labelledBy`, scrolling sideways on its own on a narrow screen; `children` are its bodies. */
export function ListTable({ labelledBy, columns, children }: { labelledBy: string; columns: readonly ReactNode[]; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="compact-table admin-table">
        <thead>
          <tr>
            {columns.map((column, index) => (
              // The columns are fixed for a table, so their places are keys enough.
              <th scope="col" key={index}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

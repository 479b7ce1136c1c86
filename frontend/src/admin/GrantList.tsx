import type { Grant } from '../api/types';
import { describeGrant } from './grants';

/** The roles a token or user holds, one a line. */
export function GrantList({ grants }: { grants: readonly Grant[] }) {
  if (grants.length === 0) {
    return <span className="muted">none</span>;
  }
  return (
    <ul className="grant-list">
      {grants.map((grant) => (
        <li key={grant.namespace}>{describeGrant(grant)}</li>
      ))}
    </ul>
  );
}

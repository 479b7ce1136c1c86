import { showValue } from './jsonDiff';

/** A difference as a list: path, what it was, what it became. Used for revision diffs and audit events. */
export function ChangeList({
  changes,
  empty,
}: {
  changes: readonly { path: string; kind: string; from?: unknown; to?: unknown }[];
  empty: string;
}) {
  if (changes.length === 0) {
    return <p className="muted">{empty}</p>;
  }
  return (
    <table className="change-list">
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path} className={`change-${change.kind}`}>
            <th scope="row">
              <code>{change.path}</code> <span className="change-kind">{change.kind}</span>
            </th>
            <td>
              <code className="before">{change.kind === 'added' ? '—' : showValue(change.from)}</code>
            </td>
            <td>
              <code className="after">{change.kind === 'removed' ? '—' : showValue(change.to)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

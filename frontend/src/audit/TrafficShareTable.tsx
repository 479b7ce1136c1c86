import type { TrafficShare } from './auditChanges';

function percent(value: number | null): string {
  return value === null ? '—' : `${value}%`;
}

/** A traffic split before and after a change, one row per target: the reading people think in, not array indexes. */
export function TrafficShareTable({ shares }: { shares: readonly TrafficShare[] }) {
  return (
    <table className="change-list traffic-change">
      <caption>Traffic split</caption>
      <thead>
        <tr>
          <th scope="col">Target</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {shares.map((share) => (
          <tr key={`${share.target}/${share.tag ?? ''}`} className={share.before === share.after ? undefined : 'change-changed'}>
            <th scope="row">
              <span className="revision-name">{share.target}</span>
              {share.tag && (
                <>
                  {' '}
                  <code className="tag">{share.tag}</code>
                </>
              )}
            </th>
            <td>
              <code className="before">{percent(share.before)}</code>
            </td>
            <td>
              <code className="after">{percent(share.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

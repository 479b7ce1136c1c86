import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { isUnauthorized } from '../api/client';
import { CLUSTERS_LIMIT, clustersQuery, controlPlaneQuery } from '../api/queries';
import type { Cluster, ClusterStatus, ControlPlane } from '../api/types';
import { Ago } from '../ui/Ago';
import { ListProgress, ListTable } from '../ui/ListTable';
import { LoadError } from '../ui/LoadError';
import { gatewaysText, notReconciledHint, reachability } from './clusterHealth';

const COLUMNS = ['Name', 'Kind', 'Reachable', 'Version', 'Last reconciled', 'Revisions', 'Instances', 'Drift reverted', 'Gateways'];
/** The columns a cluster's status fills (all but name and kind), which one cell spans on a cluster without status. */
const STATUS_COLUMNS = COLUMNS.length - 2;

/**
 * Each cluster's health as the replica that answered sees it, under which replica leads. Relative times count from
 * when each answer arrived, so that they move on with every refresh.
 */
export function ClustersPage() {
  const controlPlane = useQuery(controlPlaneQuery());
  const clusters = useQuery(clustersQuery());
  return (
    <section className="panel" aria-labelledby="clusters-heading">
      <div className="panel-header">
        <h2 id="clusters-heading">Clusters</h2>
      </div>
      <ControlPlaneSummary query={controlPlane} />
      <ListProgress query={clusters} loading="Loading clusters…" />
      {clusters.data?.items.length === 0 && <p className="empty">No clusters.</p>}
      {clusters.data && clusters.data.items.length > 0 && (
        <ListTable labelledBy="clusters-heading" columns={COLUMNS}>
          <tbody>
            {clusters.data.items.map((cluster) => (
              <ClusterRow key={cluster.name} cluster={cluster} leads={controlPlane.data?.leads} now={clusters.dataUpdatedAt} />
            ))}
          </tbody>
        </ListTable>
      )}
      {clusters.data?.continue && <p className="muted list-status">Showing the first {CLUSTERS_LIMIT.toLocaleString()} clusters.</p>}
    </section>
  );
}

function ControlPlaneSummary({ query }: { query: UseQueryResult<ControlPlane> }) {
  const { data, error } = query;
  return (
    <div className="control-plane">
      {error && !isUnauthorized(error) && <LoadError error={error} onRetry={() => void query.refetch()} />}
      {query.isPending && (
        <p role="status" className="muted">
          Asking which replica leads…
        </p>
      )}
      {data && (
        <p>
          {data.leader ? (
            <>
              <span className="badge status-ok">Leader</span> <strong>{data.leader.replica}</strong> leads; it became the leader{' '}
              <Ago instant={data.leader.since} now={query.dataUpdatedAt} />.
            </>
          ) : (
            <>
              <span className="badge status-bad">No leader</span> No replica leads right now: an election is under way, and no cluster is
              reconciled until one wins.
            </>
          )}{' '}
          {data.leads ? (
            <>
              Answered by <strong>{data.replica}</strong>, the leader, with {gatewaysText(data.gatewaysPolling)}.
            </>
          ) : (
            <>
              Answered by <strong>{data.replica}</strong>, which follows: it serves the API and leaves the clusters to the leader (
              {gatewaysText(data.gatewaysPolling)}).
            </>
          )}
        </p>
      )}
    </div>
  );
}

function ClusterRow({ cluster, leads, now }: { cluster: Cluster; leads: boolean | undefined; now: number }) {
  return (
    <tr>
      <th scope="row">
        <code>{cluster.name}</code>
        {cluster.description && <div className="muted cluster-description">{cluster.description}</div>}
      </th>
      <td>{cluster.kind}</td>
      {cluster.status ? (
        <StatusCells status={cluster.status} leads={leads} now={now} />
      ) : (
        <td colSpan={STATUS_COLUMNS} className="muted">
          not driven by this control plane
        </td>
      )}
    </tr>
  );
}

function StatusCells({ status, leads, now }: { status: ClusterStatus; leads: boolean | undefined; now: number }) {
  const badge = reachability(status);
  const hint = notReconciledHint(leads);
  const { drift, instances } = status;
  return (
    <>
      <td>
        <span className={`badge ${badge.tone}`}>{badge.label}</span>
        {status.message && <p className="cluster-message">{status.message}</p>}
      </td>
      <td>{status.version ?? <span className="muted">unknown</span>}</td>
      <td>
        {status.lastReconciled ? (
          <Ago instant={status.lastReconciled} now={now} />
        ) : (
          <>
            <span className="muted">—</span>
            {hint && <div className="hint">{hint}</div>}
          </>
        )}
      </td>
      <td>{status.revisions}</td>
      <td>
        <strong>{instances.ready}</strong> of {instances.desired} ready
      </td>
      <td>
        {drift.reverted === 0 ? <span className="muted">none</span> : drift.reverted}
        {drift.lastWhat && (
          <div className="muted">
            last: {drift.lastWhat}
            {drift.last && (
              <>
                , <Ago instant={drift.last} now={now} />
              </>
            )}
          </div>
        )}
      </td>
      <td>
        <GatewaysCell gateways={status.gateways} />
      </td>
    </>
  );
}

/** How many of the cluster's gateways report, and how they reach each other cluster's gateways. */
function GatewaysCell({ gateways }: { gateways: ClusterStatus['gateways'] }) {
  if (!gateways) {
    return <span className="muted">unknown</span>;
  }
  return (
    <>
      {gateways.connected === 0 ? <span className="muted">none connected</span> : `${gateways.connected} connected`}
      {gateways.peers.length > 0 && (
        <ul className="peer-links">
          {gateways.peers.map((peer) => (
            <li key={peer.cluster}>
              to <code>{peer.cluster}</code>:{' '}
              {peer.reachable ? (
                peer.rttMillis === null ? (
                  'reachable'
                ) : (
                  `${peer.rttMillis.toFixed(1)} ms`
                )
              ) : (
                <>
                  <span className="badge status-bad">unreachable</span>
                  {peer.error && <span className="cluster-message"> {peer.error}</span>}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

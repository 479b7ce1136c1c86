import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Cluster, ControlPlane } from '../api/types';
import { aCluster, aClusterStatus, aControlPlane, jsonResponse, minutesAgo, problemResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { ClustersPage } from './ClustersPage';

const CLUSTERS = 'GET /api/v1/clusters?limit=1000';
const CONTROL_PLANE = 'GET /api/v1/control-plane';

const LOCAL: Cluster = aCluster({
  name: 'local',
  kind: 'local',
  description: "Ebb's own child processes",
  server: null,
  context: null,
  kubeconfig: null,
  metadata: null,
  status: aClusterStatus({
    version: 'local',
    lastReconciled: minutesAgo(1),
    revisions: 3,
    instances: { desired: 4, ready: 3 },
    drift: { reverted: 2, last: minutesAgo(10), lastWhat: 'hello-00001: it was deleted' },
  }),
});

function renderPage(clusters: Cluster[], controlPlane: ControlPlane = aControlPlane(), controlPlaneAnswer = () => jsonResponse(controlPlane)) {
  stubApi({ [CLUSTERS]: () => jsonResponse({ items: clusters, continue: null }), [CONTROL_PLANE]: controlPlaneAnswer });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <ClustersPage />
    </QueryClientProvider>,
  );
}

async function rowOf(name: string): Promise<HTMLElement> {
  const table = await screen.findByRole('table');
  return within(table).getByText(name, { selector: 'code' }).closest('tr') as HTMLElement;
}

describe('ClustersPage', () => {
  it('shows which replica leads and since when, and each cluster it drives', async () => {
    renderPage([LOCAL, aCluster({ status: aClusterStatus({ lastReconciled: minutesAgo(2) }) })], aControlPlane({ gatewaysPolling: 2 }));

    expect(await screen.findByText(/became the leader/)).toHaveTextContent(
      'Leader ebb-0/1 leads; it became the leader 30 minutes ago. Answered by ebb-0/1, the leader, with 2 separate gateways connected.',
    );
    const local = await rowOf('local');
    expect(local).toHaveTextContent("Ebb's own child processes");
    expect(within(local).getByText('Reachable')).toHaveClass('status-ok');
    const [, kind, , version, reconciled, revisions, instances, drift] = Array.from(local.children);
    expect(kind).toHaveTextContent('local');
    expect(version).toHaveTextContent('local');
    expect(reconciled).toHaveTextContent('1 minute ago');
    expect(revisions).toHaveTextContent('3');
    expect(instances).toHaveTextContent('3 of 4 ready');
    expect(drift).toHaveTextContent('2last: hello-00001: it was deleted, 10 minutes ago');

    const edge = await rowOf('edge');
    expect(edge).toHaveTextContent('kubernetes');
    expect(edge).toHaveTextContent('v1.20.2');
    expect(edge).toHaveTextContent('2 minutes ago');
    expect(edge).toHaveTextContent('none');
  });

  it('shows the gateways each cluster has connected and how they reach the other clusters', async () => {
    renderPage([
      aCluster({
        status: aClusterStatus({
          gateways: {
            connected: 2,
            peers: [
              { cluster: 'eu', reachable: true, gateways: 2, rttMillis: 3.14, error: null, since: minutesAgo(5) },
              { cluster: 'us', reachable: false, gateways: 2, rttMillis: null, error: 'connect timed out', since: minutesAgo(1) },
            ],
          },
        }),
      }),
      aCluster({ name: 'quiet' }),
    ]);

    const gateways = (await rowOf('edge')).children[8];
    expect(gateways).toHaveTextContent('2 connected');
    expect(gateways).toHaveTextContent('to eu: 3.1 ms');
    expect(within(gateways as HTMLElement).getByText('unreachable')).toHaveClass('status-bad');
    expect(gateways).toHaveTextContent('to us: unreachable connect timed out');
    expect((await rowOf('quiet')).children[8]).toHaveTextContent('none connected');
  });

  it('shows why an unreachable cluster cannot be reached in its row, not only on hover', async () => {
    const refused = 'Get "https://10.0.0.9:6443/version": dial tcp 10.0.0.9:6443: connect: connection refused';
    renderPage([aCluster({ status: aClusterStatus({ reachable: false, message: refused, version: null }) })]);

    const edge = await rowOf('edge');
    expect(within(edge).getByText('Unreachable')).toHaveClass('status-bad');
    expect(within(edge).getByText(refused)).toBeVisible();
    expect(edge).toHaveTextContent('unknown');
  });

  it('tells the reader of a replica that follows why it has reconciled nothing', async () => {
    renderPage([aCluster()], aControlPlane({ replica: 'ebb-1/1', leads: false }));

    expect(await screen.findByText(/Answered by/)).toHaveTextContent(
      'Answered by ebb-1/1, which follows: it serves the API and leaves the clusters to the leader (no separate gateway connected).',
    );
    const reconciled = (await rowOf('edge')).children[4];
    expect(reconciled).toHaveTextContent('—this replica follows');
  });

  it('does not blame following for what a leader has not reconciled yet', async () => {
    renderPage([aCluster()]);

    await screen.findByText(/the leader, with/);
    const reconciled = (await rowOf('edge')).children[4];
    expect(reconciled).toHaveTextContent('—not yet');
    expect(reconciled).not.toHaveTextContent('follows');
  });

  it('says a cluster without status is not driven by this control plane', async () => {
    const { status: _, ...olderAnswer } = aCluster({ name: 'old' });
    renderPage([aCluster({ status: null }), olderAnswer]);

    for (const name of ['edge', 'old']) {
      const row = await rowOf(name);
      expect(row).toHaveTextContent('not driven by this control plane');
      expect(within(row).queryByText('Reachable')).not.toBeInTheDocument();
    }
  });

  it('says when no replica leads', async () => {
    renderPage([aCluster()], aControlPlane({ replica: 'ebb-1/1', leads: false, leader: null }));

    expect(await screen.findByText('No leader')).toHaveClass('status-bad');
    expect(screen.getByText(/No replica leads right now/)).toHaveTextContent('an election is under way');
  });

  it('shows what the API said went wrong, and the clusters it could list', async () => {
    renderPage([aCluster()], undefined, () =>
      problemResponse({ title: 'Service Unavailable', status: 503, detail: 'The database cannot be reached' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent('Service Unavailable — The database cannot be reached');
    const reconciled = (await rowOf('edge')).children[4];
    expect(reconciled).toHaveTextContent('—');
    expect(reconciled).not.toHaveTextContent(/follows|not yet/);
  });
});

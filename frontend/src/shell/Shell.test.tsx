import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import type { Session } from '../api/types';
import { aCluster, aControlPlane, aSession, jsonResponse } from '../test/fixtures';
import { stubApi } from '../test/stubApi';
import { paths } from '../ui/paths';
import { Shell } from './Shell';

function renderAt(path: string, session: Session) {
  window.history.replaceState(null, '', path);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, session);
  render(
    <QueryClientProvider client={queryClient}>
      <Shell session={session} />
    </QueryClientProvider>,
  );
}

const CLUSTERS = 'GET /api/v1/clusters?limit=1000';
const DEPLOYER = aSession({ name: 'user:bob', grants: [{ namespace: 'ml', role: 'deployer', publish: false }] });
const VIEWER_EVERYWHERE = aSession({ name: 'user:carol', grants: [{ namespace: '*', role: 'viewer', publish: false }] });

describe('Shell', () => {
  it('offers clusters, tokens and users to admins of every namespace', async () => {
    stubApi({ 'GET /api/v1/tokens': () => jsonResponse([]) });
    renderAt(paths.tokens, aSession());

    const nav = screen.getByRole('navigation', { name: 'Console' });
    expect(within(nav).getByRole('link', { name: 'Tokens' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Clusters' })).toHaveAttribute('href', paths.clusters);
    expect(within(nav).getByRole('link', { name: 'Users' })).toHaveAttribute('href', paths.users);
    expect(await screen.findByRole('heading', { name: 'Tokens' })).toBeInTheDocument();
  });

  it('opens the clusters page at its address for an admin of every namespace', async () => {
    stubApi({
      [CLUSTERS]: () => jsonResponse({ items: [aCluster()], continue: null }),
      'GET /api/v1/control-plane': () => jsonResponse(aControlPlane()),
    });
    renderAt(paths.clusters, aSession());

    expect(within(screen.getByRole('navigation', { name: 'Console' })).getByRole('link', { name: 'Clusters' })).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { name: 'Clusters' })).toBeInTheDocument();
    expect(await screen.findByText('edge')).toBeInTheDocument();
  });

  it.each([
    ['a deployer of one namespace', paths.clusters, DEPLOYER],
    ['a deployer of one namespace', paths.users, DEPLOYER],
    ['a viewer of every namespace', paths.clusters, VIEWER_EVERYWHERE],
    ['a viewer of every namespace', paths.users, VIEWER_EVERYWHERE],
  ])('hides clusters, tokens and users from %s, in the navigation and at %s', async (_, path, session) => {
    const api = stubApi({});
    renderAt(path, session);

    const nav = screen.getByRole('navigation', { name: 'Console' });
    expect(within(nav).getByRole('link', { name: 'Audit' })).toHaveAttribute('href', paths.audit);
    for (const screenName of ['Clusters', 'Tokens', 'Users']) {
      expect(within(nav).queryByRole('link', { name: screenName })).not.toBeInTheDocument();
    }
    expect(screen.getByRole('heading', { name: 'Nothing here' })).toBeInTheDocument();
    expect(api.requests('GET /api/v1/users')).toHaveLength(0);
    expect(api.requests(CLUSTERS)).toHaveLength(0);
  });
});

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import type { Session } from '../api/types';
import { aSession, jsonResponse } from '../test/fixtures';
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

const DEPLOYER = aSession({ name: 'user:bob', grants: [{ namespace: 'ml', role: 'deployer', publish: false }] });
const VIEWER_EVERYWHERE = aSession({ name: 'user:carol', grants: [{ namespace: '*', role: 'viewer', publish: false }] });

describe('Shell', () => {
  it('offers tokens and users to admins of every namespace', async () => {
    stubApi({ 'GET /api/v1/tokens': () => jsonResponse([]) });
    renderAt(paths.tokens, aSession());

    const nav = screen.getByRole('navigation', { name: 'Console' });
    expect(within(nav).getByRole('link', { name: 'Tokens' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Users' })).toHaveAttribute('href', paths.users);
    expect(await screen.findByRole('heading', { name: 'Tokens' })).toBeInTheDocument();
  });

  it.each([
    ['a deployer of one namespace', DEPLOYER],
    ['a viewer of every namespace', VIEWER_EVERYWHERE],
  ])('hides tokens and users from %s, in the navigation and at their addresses', async (_, session) => {
    const api = stubApi({});
    renderAt(paths.users, session);

    const nav = screen.getByRole('navigation', { name: 'Console' });
    expect(within(nav).getByRole('link', { name: 'Audit' })).toHaveAttribute('href', paths.audit);
    expect(within(nav).queryByRole('link', { name: 'Tokens' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Nothing here' })).toBeInTheDocument();
    expect(api.requests('GET /api/v1/users')).toHaveLength(0);
  });
});

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Token } from '../api/types';
import { jsonResponse } from '../test/fixtures';
import { sentHeader, stubApi } from '../test/stubApi';
import { TokensPage } from './TokensPage';

const TOKENS = 'GET /api/v1/tokens';
const CREATE = 'POST /api/v1/tokens';

function aToken(overrides: Partial<Token> = {}): Token {
  return {
    name: 'ci-deploy',
    kind: 'api',
    grants: [{ namespace: 'ml', role: 'deployer', publish: true }],
    status: 'active',
    createdAt: '2026-11-20T10:00:00Z',
    createdBy: 'user:alice',
    expiresAt: '2027-02-18T10:00:00Z',
    lastUsedAt: null,
    revokedAt: null,
    revokedBy: null,
    ...overrides,
  };
}

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <TokensPage />
    </QueryClientProvider>,
  );
}

describe('TokensPage', () => {
  it('lists tokens with their roles, status and history', async () => {
    stubApi({
      [TOKENS]: () =>
        jsonResponse([
          aToken(),
          aToken({ name: 'edge', kind: 'gateway', grants: [], expiresAt: null, status: 'revoked', revokedAt: '2026-11-25T09:00:00Z', revokedBy: 'user:bob' }),
        ]),
    });
    renderPage();

    const ci = (await screen.findByRole('rowheader', { name: 'ci-deploy' })).closest('tr') as HTMLElement;
    expect(ci).toHaveTextContent('deployer in ml, may publish');
    expect(within(ci).getByText('active')).toHaveClass('status-ok');
    expect(ci).toHaveTextContent('by user:alice');
    expect(within(ci).getByRole('button', { name: 'Revoke ci-deploy' })).toBeInTheDocument();

    const edge = screen.getByRole('rowheader', { name: 'edge' }).closest('tr') as HTMLElement;
    expect(within(edge).getByText('revoked')).toHaveClass('status-bad');
    expect(edge).toHaveTextContent('by user:bob');
    expect(within(edge).getAllByText('never')).toHaveLength(2);
    expect(within(edge).queryByRole('button')).not.toBeInTheDocument();
  });

  it('creates a token with the roles given and shows its value once', async () => {
    let tokens = [aToken()];
    const api = stubApi({
      [TOKENS]: () => jsonResponse(tokens),
      [CREATE]: () => {
        const created = aToken({ name: 'nightly', grants: [{ namespace: 'ml', role: 'viewer', publish: false }, { namespace: 'web', role: 'deployer', publish: true }] });
        tokens = [...tokens, created];
        return jsonResponse({ ...created, value: 'ebb_live_s3cr3t' }, 201);
      },
    });
    renderPage();
    await screen.findByRole('rowheader', { name: 'ci-deploy' });

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'nightly' } });
    fireEvent.change(screen.getByLabelText('Expires in days'), { target: { value: '30' } });
    fireEvent.change(screen.getByLabelText('Namespace of role 1'), { target: { value: 'ml' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a role' }));
    fireEvent.change(screen.getByLabelText('Namespace of role 2'), { target: { value: 'web' } });
    fireEvent.change(screen.getByLabelText('Role 2'), { target: { value: 'deployer' } });
    fireEvent.click(screen.getByLabelText('May publish (role 2)'));
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));

    const value = await screen.findByLabelText('Value of token nightly');
    expect(value).toHaveValue('ebb_live_s3cr3t');
    expect(screen.getByText(/it will not be shown again/)).toBeInTheDocument();
    const [sent] = api.requests(CREATE);
    expect(JSON.parse(String(sent?.body))).toEqual({
      name: 'nightly',
      kind: 'api',
      grants: [
        { namespace: 'ml', role: 'viewer', publish: false },
        { namespace: 'web', role: 'deployer', publish: true },
      ],
      expiresInDays: 30,
    });
    expect(sentHeader(sent, 'Content-Type')).toBe('application/json');
    expect(await screen.findByRole('rowheader', { name: 'nightly' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Done: create another' }));

    expect(await screen.findByLabelText('Name')).toHaveValue('');
    expect(screen.queryByDisplayValue('ebb_live_s3cr3t')).not.toBeInTheDocument();
    expect(screen.queryByText('ebb_live_s3cr3t')).not.toBeInTheDocument();
  });

  it('creates a gateway token without roles and without an end', async () => {
    const api = stubApi({
      [TOKENS]: () => jsonResponse([]),
      [CREATE]: () => jsonResponse({ ...aToken({ name: 'edge', kind: 'gateway', grants: [], expiresAt: null }), value: 'ebb_gw' }, 201),
    });
    renderPage();
    expect(await screen.findByText('No tokens yet.')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'edge' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'gateway' } });
    fireEvent.click(screen.getByLabelText('Never expires'));
    expect(screen.queryByLabelText('Namespace of role 1')).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));

    expect(await screen.findByLabelText('Value of token edge')).toHaveValue('ebb_gw');
    expect(JSON.parse(String(api.requests(CREATE)[0]?.body))).toEqual({ name: 'edge', kind: 'gateway', neverExpires: true });
  });

  it('does not send roles without a namespace, and says which', async () => {
    const api = stubApi({ [TOKENS]: () => jsonResponse([]) });
    renderPage();
    await screen.findByText('No tokens yet.');

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'nightly' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create token' }));

    expect(screen.getByText('Name a namespace, or * for every namespace.')).toBeInTheDocument();
    expect(screen.getByLabelText('Namespace of role 1')).toHaveAttribute('aria-invalid', 'true');
    expect(api.requests(CREATE)).toHaveLength(0);
  });

  it('asks before revoking, and revokes only when confirmed', async () => {
    let tokens = [aToken()];
    const api = stubApi({
      [TOKENS]: () => jsonResponse(tokens),
      'DELETE /api/v1/tokens/ci-deploy': () => {
        tokens = [aToken({ status: 'revoked', revokedAt: '2026-11-26T11:00:00Z', revokedBy: 'user:alice' })];
        return jsonResponse(tokens[0]);
      },
    });
    renderPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Revoke ci-deploy' }));
    const question = screen.getByRole('alertdialog');
    expect(question).toHaveTextContent('Revoke ci-deploy? Whatever uses it is refused from then on');
    expect(within(question).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    fireEvent.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Revoke ci-deploy' })).toHaveFocus();
    expect(api.requests('DELETE /api/v1/tokens/ci-deploy')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Revoke ci-deploy' }));
    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Revoke ci-deploy' }));

    expect(await screen.findByText('revoked')).toHaveClass('status-bad');
    expect(api.requests('DELETE /api/v1/tokens/ci-deploy')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
  });
});

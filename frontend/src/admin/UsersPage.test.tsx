import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sessionQueryKey } from '../api/session';
import type { User } from '../api/types';
import { aSession, jsonResponse, problemResponse } from '../test/fixtures';
import { sentHeader, stubApi } from '../test/stubApi';
import { UsersPage } from './UsersPage';

const USERS = 'GET /api/v1/users';
const CREATE = 'POST /api/v1/users';
const BOB = 'PATCH /api/v1/users/bob';

function aUser(overrides: Partial<User> = {}): User {
  return {
    username: 'bob',
    displayName: 'Bob Builder',
    grants: [{ namespace: 'ml', role: 'deployer', publish: false }],
    passwordSet: true,
    disabled: false,
    createdAt: '2026-11-20T10:00:00Z',
    createdBy: 'user:alice',
    updatedAt: '2026-11-20T10:00:00Z',
    updatedBy: 'user:alice',
    lastSignInAt: '2026-11-26T08:00:00Z',
    ...overrides,
  };
}

function renderPage() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(sessionQueryKey, aSession());
  render(
    <QueryClientProvider client={queryClient}>
      <UsersPage />
    </QueryClientProvider>,
  );
}

function rowOf(username: string): HTMLElement {
  return screen.getByRole('rowheader', { name: new RegExp(`^${username}`) }).closest('tr') as HTMLElement;
}

describe('UsersPage', () => {
  it('lists users with their roles and state, and spares the signed-in admin from disabling themselves', async () => {
    stubApi({ [USERS]: () => jsonResponse([aUser({ username: 'alice', grants: [{ namespace: '*', role: 'admin', publish: true }] }), aUser({ passwordSet: false, disabled: true })]) });
    renderPage();

    expect(await screen.findByRole('rowheader', { name: /^alice/ })).toHaveTextContent('alice (you)');
    expect(rowOf('alice')).toHaveTextContent('admin in every namespace');
    expect(within(rowOf('alice')).queryByRole('button', { name: /Disable|Delete/ })).not.toBeInTheDocument();
    expect(within(rowOf('bob')).getByText('disabled')).toHaveClass('status-bad');
    expect(rowOf('bob')).toHaveTextContent('none: OpenID Connect only');
    expect(within(rowOf('bob')).getByRole('button', { name: 'Enable bob' })).toBeInTheDocument();
  });

  it('shows what the API refuses next to the form', async () => {
    stubApi({
      [USERS]: () => jsonResponse([]),
      [CREATE]: () =>
        problemResponse({
          title: 'Invalid input',
          status: 400,
          errors: [
            { field: 'username', message: "'Carol' must be 1 to 64 lower-case letters" },
            { field: 'password', message: 'must be at least 12 characters long' },
          ],
        }),
    });
    renderPage();
    await screen.findByText('No users yet.');

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'Carol' } });
    fireEvent.change(screen.getByLabelText('Password (optional)'), { target: { value: 'short' } });
    fireEvent.change(screen.getByLabelText('Namespace of role 1'), { target: { value: 'ml' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("username: 'Carol' must be 1 to 64 lower-case letters");
    expect(alert).toHaveTextContent('password: must be at least 12 characters long');
    expect(screen.getByLabelText('Username')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Password (optional)')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Display name (optional)')).not.toHaveAttribute('aria-invalid');
    expect(within(alert).queryByRole('button')).not.toBeInTheDocument();
  });

  it('creates a user with the roles given', async () => {
    const api = stubApi({ [USERS]: () => jsonResponse([]), [CREATE]: () => jsonResponse(aUser({ username: 'carol' }), 201) });
    renderPage();
    await screen.findByText('No users yet.');

    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'carol' } });
    fireEvent.change(screen.getByLabelText('Display name (optional)'), { target: { value: 'Carol' } });
    fireEvent.change(screen.getByLabelText('Namespace of role 1'), { target: { value: 'ml' } });
    fireEvent.change(screen.getByLabelText('Role 1'), { target: { value: 'admin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create user' }));

    expect(await screen.findByText(/Created/)).toHaveTextContent('Created carol.');
    expect(JSON.parse(String(api.requests(CREATE)[0]?.body))).toEqual({
      username: 'carol',
      displayName: 'Carol',
      grants: [{ namespace: 'ml', role: 'admin', publish: true }],
    });
  });

  it('changes roles with a merge patch of only what changed', async () => {
    let bob = aUser();
    const api = stubApi({
      [USERS]: () => jsonResponse([bob]),
      [BOB]: () => {
        bob = aUser({ grants: [{ namespace: 'ml', role: 'deployer', publish: true }] });
        return jsonResponse(bob);
      },
    });
    renderPage();

    const edit = await screen.findByRole('button', { name: 'Edit bob' });
    fireEvent.click(edit);
    expect(edit).toHaveAttribute('aria-expanded', 'true');
    const editor = screen.getByRole('form', { name: 'Change bob' });
    fireEvent.click(within(editor).getByLabelText('May publish (role 1)'));
    fireEvent.click(within(editor).getByRole('button', { name: 'Save' }));

    expect(await screen.findByText('deployer in ml, may publish')).toBeInTheDocument();
    const [sent] = api.requests(BOB);
    expect(JSON.parse(String(sent?.body))).toEqual({ grants: [{ namespace: 'ml', role: 'deployer', publish: true }] });
    expect(sentHeader(sent, 'Content-Type')).toBe('application/merge-patch+json');
    expect(screen.queryByRole('form', { name: 'Change bob' })).not.toBeInTheDocument();
  });

  it('disables a user at once', async () => {
    let bob = aUser();
    const api = stubApi({
      [USERS]: () => jsonResponse([bob]),
      [BOB]: () => {
        bob = aUser({ disabled: true });
        return jsonResponse(bob);
      },
    });
    renderPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Disable bob' }));

    expect(await screen.findByRole('button', { name: 'Enable bob' })).toBeInTheDocument();
    expect(JSON.parse(String(api.requests(BOB)[0]?.body))).toEqual({ disabled: true });
  });

  it('asks before deleting a user', async () => {
    let users = [aUser()];
    const api = stubApi({
      [USERS]: () => jsonResponse(users),
      'DELETE /api/v1/users/bob': () => {
        users = [];
        return new Response(null, { status: 204 });
      },
    });
    renderPage();

    fireEvent.click(await screen.findByRole('button', { name: 'Delete bob' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Delete bob? They can no longer sign in');
    expect(api.requests('DELETE /api/v1/users/bob')).toHaveLength(0);

    fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete bob' }));

    expect(await screen.findByText('No users yet.')).toBeInTheDocument();
    expect(api.requests('DELETE /api/v1/users/bob')).toHaveLength(1);
  });
});

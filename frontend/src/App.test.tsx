import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { readToken, saveToken } from './auth/tokenStore';
import { aPage, aService, jsonResponse, problemResponse } from './test/fixtures';

function renderApp() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>,
  );
}

function signIn(token: string) {
  fireEvent.change(screen.getByLabelText('API token'), { target: { value: token } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('App', () => {
  it('signs in with a token, lists services and signs out', async () => {
    const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(jsonResponse(aPage([aService()])));
    vi.stubGlobal('fetch', fetchMock);
    renderApp();

    signIn('  s3cret ');

    expect(await screen.findByRole('rowheader', { name: 'hello' })).toBeInTheDocument();
    expect(readToken()).toBe('s3cret');
    expect(new Headers(fetchMock.mock.calls[0]?.[1]?.headers).get('Authorization')).toBe('Bearer s3cret');

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(screen.getByLabelText('API token')).toBeInTheDocument();
    expect(readToken()).toBeNull();
  });

  it('returns to the sign-in form when the token is rejected', async () => {
    saveToken('expired');
    vi.stubGlobal('fetch', vi.fn<typeof fetch>().mockResolvedValue(problemResponse({ title: 'Unauthorized', status: 401 })));
    renderApp();

    expect(await screen.findByRole('alert')).toHaveTextContent(/token rejected/i);
    expect(screen.getByLabelText('API token')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(readToken()).toBeNull();
  });
});

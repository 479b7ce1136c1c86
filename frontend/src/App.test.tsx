import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App, SESSION_ENDED } from './App';
import { sessionQueryKey } from './api/session';
import { sentHeader, stubApi } from './test/stubApi';
import { aCountedPage, aSession, aSummary, jsonResponse, problemResponse, unauthorizedResponse } from './test/fixtures';

const SESSION = 'GET /api/v1/session';
const SIGN_IN = 'POST /api/v1/session';
const SIGN_OUT = 'DELETE /api/v1/session';
const DEFAULT_SERVICES = 'GET /api/v1/services?limit=100';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function renderApp() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>,
  );
  return { queryClient };
}

async function signIn(username: string, password: string) {
  fireEvent.change(await screen.findByLabelText('Username'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

function wrongPassword() {
  return problemResponse({
    type: 'https://ebb.dev/problems/sign-in-failed',
    title: 'Sign-in failed',
    status: 401,
    detail: 'The username or the password is wrong',
  });
}

describe('App', () => {
  it('signs in with a username and password, says who is signed in and lists the services', async () => {
    document.cookie = 'XSRF-TOKEN=before-sign-in; path=/';
    const answer = deferred<Response>();
    const api = stubApi({
      [SESSION]: unauthorizedResponse,
      [SIGN_IN]: () => answer.promise,
      [DEFAULT_SERVICES]: () => jsonResponse(aCountedPage([aSummary()])),
    });
    renderApp();

    const username = await screen.findByLabelText('Username');
    expect(username).toHaveFocus();
    expect(username).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    await signIn(' alice ', 'a long passphrase');

    expect(await screen.findByRole('button', { name: 'Signing in…' })).toBeDisabled();
    const [sent] = api.requests(SIGN_IN);
    expect(JSON.parse(String(sent?.body))).toEqual({ username: 'alice', password: 'a long passphrase' });
    expect(sentHeader(sent, 'Content-Type')).toBe('application/json');
    expect(sentHeader(sent, 'X-XSRF-TOKEN')).toBe('before-sign-in');
    expect(sent?.credentials).toBe('same-origin');

    document.cookie = 'XSRF-TOKEN=after-sign-in; path=/';
    answer.resolve(jsonResponse(aSession()));

    expect(await screen.findByRole('link', { name: 'hello' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as user:alice');
    expect(screen.getByRole('main')).toHaveFocus();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(sentHeader(api.requests(DEFAULT_SERVICES)[0], 'X-XSRF-TOKEN')).toBeNull();
    expect(sessionStorage).toHaveLength(0);
    expect(localStorage).toHaveLength(0);
  });

  it('shows the problem when the password is wrong and has the password ready to type again', async () => {
    stubApi({ [SESSION]: unauthorizedResponse, [SIGN_IN]: wrongPassword });
    renderApp();

    await signIn('alice', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('The username or the password is wrong');
    expect(screen.getByLabelText('Password')).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it('says how long to wait after too many wrong passwords', async () => {
    stubApi({
      [SESSION]: unauthorizedResponse,
      [SIGN_IN]: () =>
        problemResponse(
          { title: 'Too many requests', status: 429, detail: 'Too many wrong passwords; try again in 30 s' },
          { 'Retry-After': '30' },
        ),
    });
    renderApp();

    await signIn('alice', 'wrong again');

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many wrong passwords; try again in 30 s');
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
  });

  it('keeps you signed in across a reload', async () => {
    const api = stubApi({
      [SESSION]: () => jsonResponse(aSession({ name: 'user:bob' })),
      [DEFAULT_SERVICES]: () => jsonResponse(aCountedPage([aSummary()])),
    });
    renderApp();

    expect(screen.getByRole('status')).toHaveTextContent('Checking whether you are signed in…');
    expect(await screen.findByRole('link', { name: 'hello' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as user:bob');
    expect(screen.queryByLabelText('Username')).not.toBeInTheDocument();
    expect(api.requests(SIGN_IN)).toHaveLength(0);
  });

  it('returns to the sign-in form with a notice when a later request answers 401', async () => {
    let sessionValid = true;
    const api = stubApi({
      [SESSION]: () => jsonResponse(aSession()),
      [DEFAULT_SERVICES]: () => (sessionValid ? jsonResponse(aCountedPage([aSummary()])) : unauthorizedResponse()),
      'GET /api/v1/services?namespace=team-a&limit=100': () =>
        sessionValid ? jsonResponse(aCountedPage([aSummary({ namespace: 'team-a', name: 'hello' })])) : unauthorizedResponse(),
      [SIGN_IN]: () => jsonResponse(aSession()),
    });
    const { queryClient } = renderApp();
    await screen.findByRole('link', { name: 'hello' });

    sessionValid = false;
    fireEvent.change(screen.getByLabelText('Namespace'), { target: { value: 'team-a' } });

    expect(await screen.findByRole('alert')).toHaveTextContent(SESSION_ENDED);
    expect(screen.getByLabelText('Username')).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(queryClient.getQueryCache().findAll({ queryKey: ['services'] })).toHaveLength(0);

    sessionValid = true;
    await signIn('alice', 'a long passphrase');

    expect(await screen.findByRole('link', { name: 'hello' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // The filter lives in the address, so signing in again shows the list that was asked for.
    expect(screen.getByLabelText('Namespace')).toHaveValue('team-a');
    expect(api.requests('GET /api/v1/services?namespace=team-a&limit=100')).toHaveLength(2);
  });

  it('signs out with the current CSRF token and forgets everything it fetched', async () => {
    const api = stubApi({
      [SESSION]: () => jsonResponse(aSession()),
      [DEFAULT_SERVICES]: () => jsonResponse(aCountedPage([aSummary()])),
      [SIGN_OUT]: () => {
        document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
        return new Response(null, { status: 204 });
      },
    });
    const { queryClient } = renderApp();
    await screen.findByRole('link', { name: 'hello' });
    document.cookie = 'XSRF-TOKEN=session-token; path=/';

    fireEvent.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByLabelText('Username')).toHaveFocus();
    expect(sentHeader(api.requests(SIGN_OUT)[0], 'X-XSRF-TOKEN')).toBe('session-token');
    expect(queryClient.getQueryCache().findAll().map((query) => query.queryKey)).toEqual([sessionQueryKey]);
    expect(queryClient.getQueryData(sessionQueryKey)).toBeNull();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/Signed in as/)).not.toBeInTheDocument();
  });

  it('fetches a new CSRF token before signing in again, since signing out deletes its cookie', async () => {
    let signedIn = true;
    const api = stubApi({
      [SESSION]: () => {
        document.cookie = 'XSRF-TOKEN=fresh-token; path=/';
        return signedIn ? jsonResponse(aSession()) : unauthorizedResponse();
      },
      [DEFAULT_SERVICES]: () => jsonResponse(aCountedPage([aSummary()])),
      [SIGN_OUT]: () => {
        signedIn = false;
        document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
        return new Response(null, { status: 204 });
      },
      [SIGN_IN]: () => jsonResponse(aSession()),
    });
    renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));

    await signIn('alice', 'a long passphrase');

    expect(await screen.findByRole('link', { name: 'hello' })).toBeInTheDocument();
    expect(api.requests(SESSION)).toHaveLength(2);
    expect(sentHeader(api.requests(SIGN_IN)[0], 'X-XSRF-TOKEN')).toBe('fresh-token');
  });

  it('offers to ask again when it cannot tell whether anyone is signed in', async () => {
    let available = false;
    stubApi({
      [SESSION]: () =>
        available ? unauthorizedResponse() : problemResponse({ title: 'Service Unavailable', status: 503, detail: 'Starting up' }),
    });
    renderApp();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Service Unavailable — Starting up');

    available = true;
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
  });
});

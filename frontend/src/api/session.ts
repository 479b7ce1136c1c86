import { queryOptions } from '@tanstack/react-query';
import { fetchJson, isUnauthorized, readCookie, XSRF_COOKIE } from './client';
import type { Credentials, Session } from './types';

export const SESSION_PATH = '/api/v1/session';

export const sessionQueryKey = ['session'] as const;

/**
 * Who is signed in, or null when nobody is. Asked once on load; from then on signing in and out say it, and a
 * 401 from any other call says the session ended.
 */
export function sessionQuery() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) =>
      fetchJson<Session>(SESSION_PATH, { signal }).catch((error: unknown) => {
        if (isUnauthorized(error)) {
          return null;
        }
        throw error;
      }),
    staleTime: Infinity,
  });
}

export async function postSession(credentials: Credentials): Promise<Session> {
  // The sign-in needs a CSRF token too, and signing out deletes its cookie; any answer from Ebb sets a new one.
  if (readCookie(XSRF_COOKIE) === null) {
    await fetch(SESSION_PATH, { credentials: 'same-origin' });
  }
  return fetchJson<Session>(SESSION_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
}

export function deleteSession(): Promise<void> {
  return fetchJson<void>(SESSION_PATH, { method: 'DELETE' });
}

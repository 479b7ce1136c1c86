import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { isUnauthorized } from '../api/client';
import { deleteSession, postSession, sessionQueryKey } from '../api/session';
import type { Session } from '../api/types';

/** Nobody is signed in any more: everything cached was fetched for the person who was. */
export function forgetSession(queryClient: QueryClient): void {
  queryClient.setQueryData<Session | null>(sessionQueryKey, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: postSession,
    onSuccess: (session) => {
      queryClient.setQueryData<Session | null>(sessionQueryKey, session);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteSession,
    onSuccess: () => forgetSession(queryClient),
  });
}

/**
 * Calls `onEnded` when the API answers 401 while someone is signed in (the session expired, or the user was
 * disabled or deleted), after forgetting the session. A 401 to a sign-in attempt is only a wrong password.
 */
export function useSessionEnded(onEnded: () => void): void {
  const queryClient = useQueryClient();

  useEffect(() => {
    function endOn(error: unknown) {
      if (isUnauthorized(error) && queryClient.getQueryData<Session | null>(sessionQueryKey)) {
        forgetSession(queryClient);
        onEnded();
      }
    }
    const stopWatchingQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') {
        endOn(event.action.error);
      }
    });
    const stopWatchingMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') {
        endOn(event.action.error);
      }
    });
    return () => {
      stopWatchingQueries();
      stopWatchingMutations();
    };
  }, [queryClient, onEnded]);
}

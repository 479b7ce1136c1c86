import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from '../api/client';
import { tokenPath, tokensQuery, TOKENS_PATH, userPath, USERS_PATH, usersQuery } from '../api/queries';
import type { CreatedToken, TokenSpec, User, UserPatch, UserSpec } from '../api/types';

const JSON_BODY = { 'Content-Type': 'application/json' };

/** Every change here is also an audit event, so a cached audit view is refreshed too. */
function useRefresh(queryKey: readonly string[]) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([queryClient.invalidateQueries({ queryKey }), queryClient.invalidateQueries({ queryKey: ['audit'] })]).then(() => undefined);
}

/** Creates a token; its value is in the answer and nowhere else, so the caller shows it from the mutation's data. */
export function useCreateToken() {
  const refresh = useRefresh(tokensQuery().queryKey);
  return useMutation({
    mutationFn: (spec: TokenSpec) => fetchJson<CreatedToken>(TOKENS_PATH, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(spec) }),
    onSuccess: refresh,
  });
}

export function useRevokeToken() {
  const refresh = useRefresh(tokensQuery().queryKey);
  return useMutation({
    mutationFn: (name: string) => fetchJson<unknown>(tokenPath(name), { method: 'DELETE' }),
    onSuccess: refresh,
  });
}

export function useCreateUser() {
  const refresh = useRefresh(usersQuery().queryKey);
  return useMutation({
    mutationFn: (spec: UserSpec) => fetchJson<User>(USERS_PATH, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(spec) }),
    onSuccess: refresh,
  });
}

export function useUpdateUser(username: string) {
  const refresh = useRefresh(usersQuery().queryKey);
  return useMutation({
    mutationFn: (patch: UserPatch) =>
      fetchJson<User>(userPath(username), {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify(patch),
      }),
    onSuccess: refresh,
  });
}

export function useDeleteUser(username: string) {
  const refresh = useRefresh(usersQuery().queryKey);
  return useMutation({
    mutationFn: () => fetchJson<void>(userPath(username), { method: 'DELETE' }),
    onSuccess: refresh,
  });
}

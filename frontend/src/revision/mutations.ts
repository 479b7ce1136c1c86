import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changeHeaders, fetchJson } from '../api/client';
import { revisionPath, serviceQueryKey } from '../api/queries';
import type { Revision } from '../api/types';

/** `stop` or `retry` a revision; the service's revisions (and the service's status with them) are read again after. */
export function useRevisionAction(namespace: string, service: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ revision, action }: { revision: string; action: 'stop' | 'retry' }) =>
      fetchJson<Revision>(`${revisionPath(namespace, service, revision)}/${action}`, { method: 'POST', headers: changeHeaders('') }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serviceQueryKey(namespace, service) }),
  });
}

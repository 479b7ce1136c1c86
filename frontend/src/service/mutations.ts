import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changeHeaders, fetchTagged, type Tagged } from '../api/client';
import { serviceQueryKey, trafficPath } from '../api/queries';
import type { Service, TrafficTarget } from '../api/types';

/**
 * Replaces the service's traffic, sending back the ETag it was read with: if someone changed the service
 * since, the API answers 412 and nothing is overwritten.
 */
export function useApplyTraffic(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ traffic, etag, changeCause }: { traffic: TrafficTarget[]; etag: string | null; changeCause: string }) =>
      fetchTagged<Service>(trafficPath(namespace, name), {
        method: 'PUT',
        headers: changeHeaders(changeCause, etag ? { 'If-Match': etag } : {}),
        body: JSON.stringify({ traffic }),
      }),
    onSuccess: (stored: Tagged<Service>) => {
      queryClient.setQueryData(serviceQueryKey(namespace, name), stored);
      void queryClient.invalidateQueries({ queryKey: ['services', 'overview'] });
    },
  });
}

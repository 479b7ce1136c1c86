import { useMutation, useQueryClient } from '@tanstack/react-query';
import { changeHeaders, fetchJson } from '../api/client';
import { probePath, serviceQueryKey, warmPath } from '../api/queries';
import type { ProbeResult, Warm } from '../api/types';

export function useWarm(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { revision?: string; instances?: number; duration?: string }) =>
      fetchJson<Warm>(warmPath(namespace, name), { method: 'POST', headers: changeHeaders(''), body: JSON.stringify(body) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...serviceQueryKey(namespace, name), 'warm'] }),
  });
}

/** Takes a revision to zero and measures cold starts on purpose; it takes as long as the cold starts do. */
export function useColdStartProbe(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { runs?: number; revision?: string }) =>
      fetchJson<ProbeResult>(probePath(namespace, name), { method: 'POST', headers: changeHeaders(''), body: JSON.stringify(body) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...serviceQueryKey(namespace, name), 'coldstarts'] }),
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson, fetchTagged, type Tagged } from '../api/client';
import { probePath, serviceQueryKey, trafficPath, warmPath } from '../api/queries';
import type { ProbeResult, Service, TrafficTarget, Warm } from '../api/types';

/** Why the change is being made, recorded in the audit trail with it. */
const CHANGE_CAUSE = 'Ebb-Change-Cause';

function headersFor(changeCause: string, extra: Record<string, string> = {}): Headers {
  const headers = new Headers({ 'Content-Type': 'application/json', ...extra });
  if (changeCause.trim()) {
    // Header values must be Latin-1; the API reads the cause as sent, so anything else is escaped.
    headers.set(CHANGE_CAUSE, changeCause.trim().replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
  return headers;
}

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
        headers: headersFor(changeCause, etag ? { 'If-Match': etag } : {}),
        body: JSON.stringify({ traffic }),
      }),
    onSuccess: (stored: Tagged<Service>) => {
      queryClient.setQueryData(serviceQueryKey(namespace, name), stored);
      void queryClient.invalidateQueries({ queryKey: ['services', 'overview'] });
    },
  });
}

export function useWarm(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { revision?: string; instances?: number; duration?: string }) =>
      fetchJson<Warm>(warmPath(namespace, name), { method: 'POST', headers: headersFor(''), body: JSON.stringify(body) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...serviceQueryKey(namespace, name), 'warm'] }),
  });
}

/** Takes a revision to zero and measures cold starts on purpose; it takes as long as the cold starts do. */
export function useColdStartProbe(namespace: string, name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { runs?: number; revision?: string }) =>
      fetchJson<ProbeResult>(probePath(namespace, name), { method: 'POST', headers: headersFor(''), body: JSON.stringify(body) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...serviceQueryKey(namespace, name), 'coldstarts'] }),
  });
}

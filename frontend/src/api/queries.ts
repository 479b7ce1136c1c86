import { infiniteQueryOptions } from '@tanstack/react-query';
import { fetchJson } from './client';
import type { Page, Service } from './types';

export const SERVICES_PAGE_SIZE = 50;

export function servicesPath(namespace: string, cursor: string | null, limit = SERVICES_PAGE_SIZE): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) {
    params.set('continue', cursor);
  }
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services?${params}`;
}

/** Services of a namespace, paged with the API's `continue` cursor. */
export function servicesQuery(namespace: string) {
  return infiniteQueryOptions({
    queryKey: ['services', namespace] as const,
    queryFn: ({ pageParam, signal }) => fetchJson<Page<Service>>(servicesPath(namespace, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.continue || null,
  });
}

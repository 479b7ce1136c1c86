import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import { fetchJson, fetchTextResponse, fetchTagged } from './client';
import type {
  AuditEvent,
  ChainReport,
  Cluster,
  ColdStarts,
  ControlPlane,
  CountedPage,
  Page,
  Revision,
  RevisionDiff,
  Rollout,
  Service,
  ServiceChange,
  ServiceMetrics,
  ServiceSummary,
  Token,
  User,
  Warm,
} from './types';

export const SERVICES_PAGE_SIZE = 100;

function servicePath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
}

function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      query.set(key, String(value));
    }
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** What the services overview is narrowed to; empty strings mean no filter, `at` a past instant (RFC 3339). */
export interface ServiceFilter {
  namespace: string;
  labelSelector: string;
  q: string;
  at?: string;
}

export function servicesPath(filter: ServiceFilter, cursor: string | null, limit = SERVICES_PAGE_SIZE): string {
  return withQuery('/api/v1/services', {
    namespace: filter.namespace.trim(),
    labelSelector: filter.labelSelector.trim(),
    q: filter.q.trim(),
    at: filter.at,
    limit,
    continue: cursor,
  });
}

/**
 * Refreshing an infinite list asks for every page loaded so far, one after the other: while a few pages are
 * loaded the list stays live, and once someone has scrolled further it waits to be asked.
 */
export const LIVE_PAGES = 3;

export function refreshEvery(intervalMs: number | false, pagesLoaded: number): number | false {
  return intervalMs !== false && pagesLoaded <= LIVE_PAGES ? intervalMs : false;
}

/** Services across the caller's namespaces, filtered on the server and paged with its `continue` cursor. */
export function servicesQuery(filter: ServiceFilter, refetchInterval: number | false = false) {
  return infiniteQueryOptions({
    queryKey: ['services', 'overview', filter] as const,
    queryFn: ({ pageParam, signal }) => fetchJson<CountedPage<ServiceSummary>>(servicesPath(filter, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.continue || null,
    // Typing in a filter keeps the last rows on screen until the new ones arrive, so nothing jumps.
    placeholderData: keepPreviousData,
    refetchInterval: (query) => refreshEvery(refetchInterval, query.state.data?.pages.length ?? 0),
  });
}

export function serviceQueryKey(namespace: string, name: string) {
  return ['services', namespace, name] as const;
}

/** One service with its ETag, which a traffic change sends back so two people cannot overwrite each other. */
export function serviceQuery(namespace: string, name: string) {
  return queryOptions({
    queryKey: serviceQueryKey(namespace, name),
    queryFn: ({ signal }) => fetchTagged<Service>(servicePath(namespace, name), { signal }),
    refetchInterval: 5_000,
  });
}

/** The latest instants at which a service the caller reads changed (spec or observed status), newest first. */
export function serviceChangesQuery(limit = 10) {
  return queryOptions({
    queryKey: ['services', 'changes', limit] as const,
    queryFn: ({ signal }) => fetchJson<Page<ServiceChange>>(withQuery('/api/v1/services/changes', { limit }), { signal }),
  });
}

/** The service as it was stored at a past instant (RFC 3339). */
export function serviceAtQuery(namespace: string, name: string, at: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'at', at] as const,
    queryFn: ({ signal }) => fetchJson<Service>(withQuery(servicePath(namespace, name), { at }), { signal }),
    staleTime: Infinity,
  });
}

export function revisionsQuery(namespace: string, name: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'revisions'] as const,
    queryFn: ({ signal }) => fetchJson<Page<Revision>>(withQuery(`${servicePath(namespace, name)}/revisions`, { limit: 500 }), { signal }),
    refetchInterval: 5_000,
  });
}

export function revisionPath(namespace: string, name: string, revision: string): string {
  return `${servicePath(namespace, name)}/revisions/${encodeURIComponent(revision)}`;
}

export function revisionQuery(namespace: string, name: string, revision: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'revision', revision] as const,
    queryFn: ({ signal }) => fetchJson<Revision>(revisionPath(namespace, name, revision), { signal }),
    refetchInterval: 5_000,
  });
}

/** Which of a revision's log lines to read: one instance's or all, the current runs or each one's previous run. */
export interface LogSelection {
  instance: string | null;
  previous: boolean;
  tail: number;
}

export function logsPath(namespace: string, name: string, revision: string, selection: LogSelection, follow = false): string {
  return withQuery(`${revisionPath(namespace, name, revision)}/logs`, {
    tail: selection.tail,
    instance: selection.instance,
    previous: selection.previous ? 'true' : null,
    follow: follow ? 'true' : null,
  });
}

export function logsQuery(namespace: string, name: string, revision: string, selection: LogSelection) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'logs', revision, selection] as const,
    queryFn: async ({ signal }) => (await fetchTextResponse(logsPath(namespace, name, revision, selection), { signal })).text(),
  });
}

export function revisionDiffQuery(namespace: string, name: string, from: string, to: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'diff', from, to] as const,
    queryFn: ({ signal }) =>
      fetchJson<RevisionDiff>(`${servicePath(namespace, name)}/revisions/${encodeURIComponent(from)}/diff/${encodeURIComponent(to)}`, {
        signal,
      }),
    staleTime: Infinity,
  });
}

/** The cold starts of the last `windowMs`, the window counted back from each time they are asked for. */
export function coldStartsQuery(namespace: string, name: string, windowMs: number) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'coldstarts', windowMs] as const,
    queryFn: ({ signal }) =>
      fetchJson<ColdStarts>(
        withQuery(`${servicePath(namespace, name)}/coldstarts`, { since: new Date(Date.now() - windowMs).toISOString(), limit: 500 }),
        { signal },
      ),
    refetchInterval: 5_000,
  });
}

/** The last hour of instances and load, asked for every two seconds while the page is open. */
export function metricsQuery(namespace: string, name: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'metrics'] as const,
    queryFn: ({ signal }) => fetchJson<ServiceMetrics>(`${servicePath(namespace, name)}/metrics`, { signal }),
    refetchInterval: 2_000,
  });
}

export function warmQuery(namespace: string, name: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'warm'] as const,
    queryFn: ({ signal }) => fetchJson<Page<Warm>>(`${servicePath(namespace, name)}/warm`, { signal }),
  });
}

/** The service's latest rollout, every two seconds while the page is open; a service that never rolled out answers 404. */
export function rolloutQuery(namespace: string, name: string) {
  return queryOptions({
    queryKey: [...serviceQueryKey(namespace, name), 'rollout'] as const,
    queryFn: ({ signal }) => fetchJson<Rollout>(rolloutPath(namespace, name), { signal }),
    refetchInterval: 2_000,
    retry: false,
  });
}

export function rolloutPath(namespace: string, name: string): string {
  return `${servicePath(namespace, name)}/rollout`;
}

export function trafficPath(namespace: string, name: string): string {
  return `${servicePath(namespace, name)}/traffic`;
}

export function warmPath(namespace: string, name: string): string {
  return `${servicePath(namespace, name)}/warm`;
}

export function probePath(namespace: string, name: string): string {
  return `${servicePath(namespace, name)}/coldstart-probe`;
}

/** What the audit view is narrowed to; empty strings mean no filter, times are RFC 3339. */
export interface AuditFilter {
  namespace: string;
  service: string;
  actor: string;
  /** One action, such as `traffic.update`. */
  action: string;
  since: string;
  until: string;
}

export const AUDIT_PAGE_SIZE = 100;

/** Audit events matching a filter, newest first, paged with the server's `continue` cursor. */
export function auditQuery(filter: AuditFilter) {
  return infiniteQueryOptions({
    queryKey: ['audit', filter] as const,
    queryFn: ({ pageParam, signal }) =>
      fetchJson<Page<AuditEvent>>(withQuery('/api/v1/audit', { ...filter, limit: AUDIT_PAGE_SIZE, continue: pageParam }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.continue || null,
    placeholderData: keepPreviousData,
  });
}

/** Walks the whole hash chain on the server, so it is asked for once a minute at most. */
export function chainQuery() {
  return queryOptions({
    queryKey: ['audit', 'verify'] as const,
    queryFn: ({ signal }) => fetchJson<ChainReport>('/api/v1/audit/verify', { signal }),
    staleTime: 60_000,
  });
}

export const TOKENS_PATH = '/api/v1/tokens';

export function tokenPath(name: string): string {
  return `${TOKENS_PATH}/${encodeURIComponent(name)}`;
}

export function tokensQuery() {
  return queryOptions({
    queryKey: ['tokens'] as const,
    queryFn: ({ signal }) => fetchJson<Token[]>(TOKENS_PATH, { signal }),
  });
}

export const USERS_PATH = '/api/v1/users';

export function userPath(username: string): string {
  return `${USERS_PATH}/${encodeURIComponent(username)}`;
}

export function usersQuery() {
  return queryOptions({
    queryKey: ['users'] as const,
    queryFn: ({ signal }) => fetchJson<User[]>(USERS_PATH, { signal }),
  });
}

/** The most clusters one answer holds: the API's largest page. */
export const CLUSTERS_LIMIT = 1000;

/** Every cluster with its health as the answering replica sees it, refreshed like the other live screens. */
export function clustersQuery() {
  return queryOptions({
    queryKey: ['clusters'] as const,
    queryFn: ({ signal }) => fetchJson<Page<Cluster>>(withQuery('/api/v1/clusters', { limit: CLUSTERS_LIMIT }), { signal }),
    refetchInterval: 5_000,
  });
}

/** Which replica answered and which one leads, refreshed so that a change of leader shows within seconds. */
export function controlPlaneQuery() {
  return queryOptions({
    queryKey: ['control-plane'] as const,
    queryFn: ({ signal }) => fetchJson<ControlPlane>('/api/v1/control-plane', { signal }),
    refetchInterval: 5_000,
  });
}

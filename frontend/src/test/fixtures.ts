import type { Cluster, ClusterStatus, ControlPlane, CountedPage, Page, ProblemDetail, Revision, Service, ServiceSummary, Session } from '../api/types';

/** A revision's metadata: made by alice through the API, no cause given, nothing changed. */
export function revisionMetadata(overrides: Partial<Revision['metadata']> = {}): Revision['metadata'] {
  return {
    createdAt: '2026-12-02T10:00:00Z',
    createdBy: 'user:alice',
    changeCause: null,
    changes: null,
    trigger: { kind: 'person', name: 'alice', event: null },
    ...overrides,
  };
}

export function aService(overrides: Partial<Service> = {}): Service {
  return {
    name: 'hello',
    namespace: 'default',
    labels: { team: 'ml' },
    visibility: 'cluster-local',
    placement: { clusters: ['local'] },
    coldStartSlo: '10s',
    template: {
      image: 'ghcr.io/acme/model:1.2',
      command: ['python3'],
      args: ['-m', 'http.server', '$(PORT)'],
      env: { K: 'V' },
      port: 8080,
      protocol: 'http1',
      readiness: { path: '/healthz' },
      timeoutSeconds: 300,
      concurrency: { limit: 0, target: 100, utilization: 70 },
      scale: { min: 0, max: 0, initial: 1, window: '60s', scaleDownDelay: '0s', metric: 'concurrency' },
    },
    traffic: [{ latestRevision: true, percent: 100 }],
    metadata: {
      resourceVersion: '3',
      createdAt: '2026-11-26T10:00:00Z',
      updatedAt: '2026-11-26T10:05:00Z',
      createdBy: 'bootstrap',
      updatedBy: 'bootstrap',
    },
    status: {
      url: 'http://hello.default.svc.cluster.local',
      latestCreatedRevision: 'hello-00001',
      latestReadyRevision: 'hello-00001',
      traffic: [{ revision: 'hello-00001', latestRevision: true, percent: 100, tag: null, url: null }],
      conditions: [
        { type: 'Ready', status: 'True', reason: null, message: null, lastTransitionTime: '2026-11-26T10:01:00Z' },
        { type: 'ConfigurationsReady', status: 'True', reason: null, message: null, lastTransitionTime: null },
        { type: 'RoutesReady', status: 'True', reason: null, message: null, lastTransitionTime: null },
      ],
    },
    ...overrides,
  };
}

export function aSession(overrides: Partial<Session> = {}): Session {
  return {
    name: 'user:alice',
    kind: 'user',
    via: 'session',
    grants: [{ namespace: '*', role: 'admin', publish: false }],
    ...overrides,
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function problemResponse(problem: ProblemDetail & { status: number }, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

/** What Ebb answers to a request without a session. */
export function unauthorizedResponse(): Response {
  return problemResponse({ title: 'Unauthorized', status: 401, detail: "Sign in (POST /api/v1/session) or send 'Authorization: Bearer <token>'" });
}

export function aPage(items: Service[], cursor: string | null = null): Page<Service> {
  return { items, continue: cursor };
}

export function aSummary(overrides: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    namespace: 'default',
    name: 'hello',
    labels: { team: 'ml' },
    visibility: 'cluster-local',
    url: 'http://hello.default.svc.cluster.local',
    ready: { status: 'True', reason: null, message: null },
    latestCreatedRevision: 'hello-00001',
    latestReadyRevision: 'hello-00001',
    traffic: [{ revision: 'hello-00001', latestRevision: true, percent: 100, tag: null, url: null }],
    instances: { desired: 1, ready: 1 },
    coldStart: { slo: '10s', sloMs: 10_000, count: 4, p95Ms: 2300, withinSlo: true },
    requests: { requestsPerSecond: 12.5, errorRate: 0.004 },
    updatedAt: '2026-11-26T10:05:00Z',
    updatedBy: 'user:alice',
    ...overrides,
  };
}

export function aCountedPage(items: ServiceSummary[], cursor: string | null = null, total = items.length): CountedPage<ServiceSummary> {
  return { items, continue: cursor, total };
}

/** The instant `minutes` before now, so that relative times read the same whenever a test runs. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** A reachable cluster with nothing running and nothing reverted, never reconciled. */
export function aClusterStatus(overrides: Partial<ClusterStatus> = {}): ClusterStatus {
  return {
    reachable: true,
    message: null,
    version: 'v1.20.2',
    lastReconciled: null,
    revisions: 0,
    instances: { desired: 0, ready: 0 },
    drift: { reverted: 0, last: null, lastWhat: null },
    gateways: { connected: 0, peers: [] },
    ...overrides,
  };
}

/** A registered Kubernetes cluster that the replica answering drives. */
export function aCluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: 'edge',
    kind: 'kubernetes',
    description: null,
    server: 'https://10.0.0.9:6443',
    context: 'edge',
    kubeconfig: { stored: true, encryptedWith: 'k1' },
    metadata: {
      resourceVersion: '1',
      createdAt: '2026-11-26T10:00:00Z',
      updatedAt: '2026-11-26T10:00:00Z',
      createdBy: 'user:alice',
      updatedBy: 'user:alice',
    },
    status: aClusterStatus(),
    ...overrides,
  };
}

/** The answer of a replica that leads, with no gateway polling it. */
export function aControlPlane(overrides: Partial<ControlPlane> = {}): ControlPlane {
  return { replica: 'ebb-0/1', leads: true, leader: { replica: 'ebb-0/1', since: minutesAgo(30) }, gatewaysPolling: 0, ...overrides };
}

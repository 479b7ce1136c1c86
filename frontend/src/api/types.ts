// Resource models of the Ebb API (/api/v1), as the backend serialises them.

export type Visibility = 'cluster-local' | 'public';
export type Protocol = 'http1' | 'h2c';
export type ScaleMetric = 'concurrency' | 'rps';
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type Role = 'viewer' | 'deployer' | 'admin';

export type Readiness = { path: string } | { tcp: true };

export interface Concurrency {
  limit: number;
  target: number;
  utilization: number;
}

export interface Scale {
  min: number;
  max: number;
  initial: number;
  window: string;
  scaleDownDelay: string;
  metric: ScaleMetric;
}

export interface RevisionTemplate {
  image: string;
  command: string[];
  args: string[];
  env: Record<string, string>;
  port: number;
  protocol: Protocol;
  readiness: Readiness;
  timeoutSeconds: number;
  concurrency: Concurrency;
  scale: Scale;
}

/** A desired traffic target in the service spec: either a pinned revision or the latest ready one. */
export interface TrafficTarget {
  revision?: string;
  latestRevision?: boolean;
  percent: number;
  tag?: string;
}

/** A traffic target as actually routed, with `latestRevision` targets resolved to a revision name. */
export interface TrafficStatus {
  revision: string | null;
  latestRevision: boolean;
  percent: number;
  tag: string | null;
  url: string | null;
}

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

export interface ResourceMetadata {
  resourceVersion: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export interface ServiceStatus {
  url: string | null;
  latestCreatedRevision: string | null;
  latestReadyRevision: string | null;
  traffic: TrafficStatus[];
  conditions: Condition[];
}

export interface Service {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  visibility: Visibility;
  coldStartSlo: string;
  template: RevisionTemplate;
  traffic: TrafficTarget[];
  metadata: ResourceMetadata;
  status: ServiceStatus;
}

/** One page of a list; `continue` is an opaque cursor for the next page, null on the last one. */
export interface Page<T> {
  items: T[];
  continue: string | null;
}

/** A role in one namespace, or in every namespace when `namespace` is `*`. */
export interface Grant {
  namespace: string;
  role: Role;
  publish: boolean;
}

/** Who is calling, as `GET /api/v1/session` answers: `name` is the actor the audit trail records. */
export interface Session {
  name: string;
  kind: 'user' | 'token' | 'gateway';
  via: 'session' | 'token';
  grants: Grant[];
}

export interface Credentials {
  username: string;
  password: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem detail, as sent with content type application/problem+json. */
export interface ProblemDetail {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

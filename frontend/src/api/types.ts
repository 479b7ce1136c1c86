// Resource models of the Ebb API (/api/v1), as the backend serialises them.

export type Visibility = 'cluster-local' | 'public';
export type Protocol = 'http1' | 'h2c';
export type ScaleMetric = 'concurrency' | 'rps';
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type Role = 'viewer' | 'deployer' | 'admin';
/** `follow-tag`: a push of the image's tag rolls out a new revision; absent or `none`: the digest stays as resolved. */
export type ImagePolicy = 'none' | 'follow-tag';

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
  /** Absent when the revision runs a command on the local runtime. */
  image?: string | null;
  command: string[];
  args: string[];
  env: Record<string, string>;
  port: number;
  protocol: Protocol;
  readiness: Readiness;
  timeoutSeconds: number;
  concurrency: Concurrency;
  scale: Scale;
  imagePolicy?: ImagePolicy | null;
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

/** Where a service's revisions run: registered clusters by name (`local` is Ebb's own child processes). */
export interface Placement {
  clusters: string[];
  /** Each cluster's share of the instances relative to the others; a cluster left out weighs 1. */
  weights?: Record<string, number>;
}

export interface Service {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  visibility: Visibility;
  /** Null in a point-in-time answer stored before placements existed, when every service ran on `local`. */
  placement: Placement | null;
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

/** A page of a list that also says how many items match across all pages. */
export interface CountedPage<T> extends Page<T> {
  total: number;
}

/** The Ready condition of a service, as the overview carries it. */
export interface ReadySummary {
  status: ConditionStatus;
  reason: string | null;
  message: string | null;
}

/** Cold starts of the last 24 hours against the service's SLO; `p95Ms` and `withinSlo` are null without any. */
export interface ColdStartSummary {
  slo: string;
  sloMs: number;
  count: number;
  p95Ms: number | null;
  withinSlo: boolean | null;
}

/**
 * One row of `GET /api/v1/services`: a service across namespaces with what the overview shows of it.
 * `instances` and `coldStart` are null in a point-in-time answer, which only knows what was stored.
 */
export interface ServiceSummary {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  visibility: Visibility;
  url: string | null;
  ready: ReadySummary;
  /** Every condition of the service: Ready, ConfigurationsReady (its newest revision) and RoutesReady (its traffic). */
  conditions?: Condition[];
  latestCreatedRevision: string | null;
  latestReadyRevision: string | null;
  traffic: TrafficStatus[];
  instances: { desired: number; ready: number } | null;
  coldStart: ColdStartSummary | null;
  /** The last minute's requests over all revisions; null in a point-in-time answer. */
  requests: RequestRates | null;
  updatedAt: string;
  updatedBy: string;
  /** The rollout in progress or paused; absent when none is. */
  rollout?: RolloutStatus;
}

/** Where a service's rollout stands, as its status and the services list show it (ServiceView.RolloutStatus). */
export interface RolloutStatus {
  revision: string;
  stableRevision?: string;
  state: RolloutState;
  percent: number;
}

export interface RequestRates {
  requestsPerSecond: number;
  /** Share of requests answered 5xx (by the instance or the gateway); null without requests. */
  errorRate: number | null;
}

export interface Instances {
  desired: number;
  ready: number;
  averageConcurrency: number;
  /** What the ready instances can take at once beyond their load and the target burst capacity (Knative's excess burst capacity). */
  excessBurstCapacity?: number;
  /** Whether the gateway buffers the revision's requests while no instance has room (Knative's activator in the path). */
  gatewayInPath?: boolean;
  /** Each instance the runtime runs: a local process, or a pod on Kubernetes. */
  items?: Instance[];
  /** How often its instances restarted after exiting, all together. */
  restarts?: number;
  /** The soonest restart of an instance waiting out its crash back-off; null when none waits. */
  nextRestart?: string | null;
}

export interface Instance {
  name: string;
  /** `local`, or the pod's node; null while no node has it. */
  node: string | null;
  ip: string | null;
  ready: boolean;
  restarts: number;
  started: string | null;
  /** When an instance that exited starts again after its back-off; null while it runs. */
  nextRestart?: string | null;
}

/** What made a revision: someone through the API, a registry push a hook delivered, or the poll of followed tags. */
export interface RevisionTrigger {
  kind: 'person' | 'token' | 'registry-push' | 'poll' | 'system';
  /** The username, the token's name or the hook's name; null for the poll. */
  name: string | null;
  /** The registry's id of the push event. */
  event: string | null;
}

export interface Revision {
  name: string;
  namespace: string;
  service: string;
  generation: number;
  template: RevisionTemplate;
  templateHash: string;
  metadata: {
    createdAt: string;
    createdBy: string;
    changeCause: string | null;
    changes: string | null;
    trigger: RevisionTrigger;
  };
  status: {
    conditions: Condition[];
    instances: Instances | null;
    /** Set while an operator's stop keeps the revision from running, until it is retried. */
    stopped?: { at: string; by: string } | null;
    /** The image its instances run: the template's, a tag resolved to its digest (`repo@sha256:...`). */
    image?: string | null;
  };
}

export interface TemplateChange {
  path: string;
  kind: string;
  from: unknown;
  to: unknown;
}

export interface RevisionDiff {
  from: string;
  to: string;
  identical: boolean;
  changes: TemplateChange[];
}

export interface ColdStartRevisionSummary {
  revision: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  withinSlo: number;
}

export interface ColdStartEvent {
  revision: string;
  instance: string | null;
  requestId: string | null;
  status: number;
  arrived: string;
  scaleRequested: string | null;
  /** When a Kubernetes cluster placed the pod on a node; null on the local runtime. */
  scheduled: string | null;
  /** When the node had the pod's image; null on the local runtime. */
  imagePulled: string | null;
  instanceStarted: string | null;
  instanceReady: string | null;
  forwarded: string | null;
  firstByte: string | null;
  totalMs: number | null;
  phasesMs: Record<string, number>;
  withinSlo: boolean | null;
  /** The cold-start probe caused it, not a user. */
  probe: boolean;
}

export interface ColdStarts {
  slo: string;
  /** The users' cold starts; the probe's are in `probes`. */
  revisions: ColdStartRevisionSummary[];
  probes: ColdStartRevisionSummary[];
  items: ColdStartEvent[];
  continue: string | null;
}

/**
 * One revision's load history: equal-length arrays, oldest first, `t` in epoch milliseconds. A revision with requests
 * but no load point in the window has empty arrays and no metric.
 */
export interface RevisionSeries {
  revision: string;
  metric: ScaleMetric | null;
  t: number[];
  desired: number[];
  ready: number[];
  concurrency: number[];
  /** The requests the gateways counted, in `requestStepMs` steps; null when none ended in the window. */
  requests: RevisionRequests | null;
}

/** Latency to the last byte in milliseconds; null when no request was timed. */
export interface Latency {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** Equal-length arrays, oldest first; a step without requests has no point. */
export interface RevisionRequests {
  revision: string;
  t: number[];
  requestsPerSecond: number[];
  errorRate: number[];
  p50Ms: (number | null)[];
  p95Ms: (number | null)[];
  p99Ms: (number | null)[];
  warmP50Ms: (number | null)[];
  warmP95Ms: (number | null)[];
  warmP99Ms: (number | null)[];
  summary: {
    requests: number;
    requestsPerSecond: number;
    errorRate: number | null;
    errors: number;
    gatewayErrors: number;
    coldRequests: number;
    all: Latency;
    warm: Latency;
  };
}

export interface ServiceMetrics {
  stepMs: number;
  requestStepMs: number;
  revisions: RevisionSeries[];
}

export interface ProbeRun {
  status: number;
  totalMs: number;
  coldStartMs: number | null;
  attempts: number;
}

export interface ProbeResult {
  revision: string;
  host: string;
  path: string;
  slo: string;
  runs: ProbeRun[];
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  withinSlo: number | null;
}

export interface Warm {
  id: number;
  namespace: string;
  service: string;
  revision: string;
  instances: number;
  duration: string;
  createdAt: string;
  until: string;
  createdBy: string;
  changeCause: string | null;
}

export interface AuditEvent {
  id: number;
  time: string;
  actor: string;
  credential: string | null;
  action: string;
  namespace: string | null;
  service: string | null;
  target: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  sourceAddress: string | null;
  userAgent: string | null;
  changeCause: string | null;
  prevHash: string | null;
  hash: string;
}

/** An instant at which a service's stored state changed: its spec was written or its observed status moved. */
export interface ServiceChange {
  namespace: string;
  name: string;
  at: string;
  deleted: boolean;
}

export interface ChainReport {
  status: 'intact' | 'broken';
  eventsChecked: number;
  lastEventId: number | null;
  lastHash: string | null;
  firstMismatch: { id: number; problem: string; reason: string } | null;
}

export interface Token {
  name: string;
  kind: 'api' | 'gateway';
  grants: Grant[];
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface CreatedToken extends Token {
  value: string;
}

export interface User {
  username: string;
  displayName: string | null;
  grants: Grant[];
  passwordSet: boolean;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  lastSignInAt: string | null;
}

/** What the API shows of a write-only secret such as a kubeconfig: that it is stored and with which key. */
export interface SecretStatus {
  stored: boolean;
  encryptedWith: string;
}

/** Drift this control plane found on a cluster and put back as desired. */
export interface ClusterDrift {
  reverted: number;
  /** When the last revert was; null before the first. */
  last: string | null;
  /** What the last revert put back, such as `hello-00001: it was deleted`; null before the first. */
  lastWhat: string | null;
}

/** A cluster as the replica that answered drives it. */
export interface ClusterStatus {
  /** False while the cluster's API server cannot be reached. */
  reachable: boolean;
  /** Why it cannot be reached, or what else is wrong, as a sentence; null when all is well. */
  message: string | null;
  /** The cluster's Kubernetes version, `local` for the local runtime; null while unknown. */
  version: string | null;
  /** When this replica last applied the desired state there; null on a replica that follows, or before the first time. */
  lastReconciled: string | null;
  /** Revisions Ebb runs there. */
  revisions: number;
  instances: { desired: number; ready: number };
  drift: ClusterDrift;
  /** Absent from a control plane older than cross-cluster routing. */
  gateways?: ClusterGateways;
}

/** The cluster's gateways that report to the leader, and how they reach the other clusters' gateways. */
export interface ClusterGateways {
  connected: number;
  peers: ClusterPeerLink[];
}

/** The link from a cluster's gateways to another cluster's, as their probes found it. */
export interface ClusterPeerLink {
  cluster: string;
  /** Whether every gateway that probes it got an answer last time. */
  reachable: boolean;
  gateways: number;
  /** The slowest last answered probe's round trip; null before any answered. */
  rttMillis: number | null;
  error: string | null;
  since: string | null;
}

/** Who registered a cluster and when, and its ETag's value for `If-Match`. */
export interface ClusterMetadata {
  resourceVersion: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** A row of `GET /api/v1/clusters`: `local` is built in (no metadata, no kubeconfig), the others are registered. */
export interface Cluster {
  name: string;
  kind: 'local' | 'kubernetes';
  description: string | null;
  /** The API server of the kubeconfig's current context; null for `local`. */
  server: string | null;
  context: string | null;
  /** Where its gateways take requests forwarded from other clusters (`host:port`); null when others cannot reach it. */
  gateway?: string | null;
  kubeconfig: SecretStatus | null;
  metadata: ClusterMetadata | null;
  /** Null (or absent, from a control plane older than cluster health) on a cluster the answering replica does not drive. */
  status?: ClusterStatus | null;
}

/** `GET /api/v1/control-plane`: the replica that answered, and the one that leads and so drives the clusters. */
export interface ControlPlane {
  replica: string;
  /** Whether the replica that answered is the leader. */
  leads: boolean;
  /** Null while no replica leads: an election is under way. */
  leader: { replica: string; since: string } | null;
  /** Gateways long-polling the answering replica for routing right now; only the leader has any. */
  gatewaysPolling: number;
}

/** The body of `POST /api/v1/tokens`: give `expiresInDays` (default 90) or `neverExpires`, not both. Gateway tokens take no grants. */
export interface TokenSpec {
  name: string;
  kind: Token['kind'];
  grants?: Grant[];
  expiresInDays?: number;
  neverExpires?: boolean;
}

/** The body of `POST /api/v1/users`; without a password the user signs in through OpenID Connect only. */
export interface UserSpec {
  username: string;
  displayName?: string;
  password?: string;
  grants: Grant[];
}

/** A JSON merge patch of a user: fields left out stay as they are, `grants` replaces the whole list. */
export interface UserPatch {
  displayName?: string;
  password?: string;
  grants?: Grant[];
  disabled?: boolean;
}

/** What the gateways measured of one revision over a rollout step (RevisionFigures). */
export interface RevisionFigures {
  answers: number;
  errors: number;
  gatewayErrors: number;
  warmRequests: number;
  warmP99Ms: number | null;
}

/** One step of a rollout as it ended (StepRecord). */
export interface RolloutStep {
  step: number;
  percent: number;
  startedAt: string;
  endedAt: string;
  candidate: RevisionFigures;
  stable: RevisionFigures;
  decision: string;
  reason: string;
}

/** The step in progress and what it has measured so far (RolloutView.Current). */
export interface RolloutCurrent {
  startedAt: string;
  candidate: RevisionFigures;
  stable: RevisionFigures;
}

export type RolloutState = 'progressing' | 'paused' | 'succeeded' | 'failed' | 'aborted' | 'superseded';

/** A service's latest rollout (RolloutView). */
export interface Rollout {
  namespace: string;
  service: string;
  revision: string;
  stableRevision?: string;
  strategy: string;
  step: number;
  totalSteps: number;
  percent: number;
  state: RolloutState;
  reason?: string;
  steps: RolloutStep[];
  current?: RolloutCurrent;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
}

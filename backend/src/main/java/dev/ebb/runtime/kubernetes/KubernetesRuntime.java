package dev.ebb.runtime.kubernetes;

import dev.ebb.background.Ticker;
import dev.ebb.registry.RegistryLogin;
import dev.ebb.runtime.DriverHealth;
import dev.ebb.runtime.ExposedService;
import dev.ebb.runtime.InstanceActivity;
import dev.ebb.runtime.LogQuery;
import dev.ebb.runtime.RevisionDeployment;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.RuntimeDriver;
import dev.ebb.spec.Template;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Scale;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.util.PatchUtils;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs revisions on one Kubernetes cluster: applies each revision's Deployment and each service's Service server-side
 * as field manager {@code ebb} (a change of count alone through the Deployment's scale subresource), prunes what Ebb made and no longer wants by its labels, puts back
 * what someone changed by hand, reads revisions' states from their Deployments and Pods as watches bring them, and
 * their output from the pod log API ({@link PodLogs}). Never throws out of {@link #apply}: an unreachable API server shows as {@code Unknown} on every revision it should run.
 */
public final class KubernetesRuntime implements RuntimeDriver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesRuntime.class);
    static final String FIELD_MANAGER = "ebb";
    static final String MANAGED = DesiredObjects.MANAGED_BY + "=" + DesiredObjects.EBB;
    /** How often the API server is asked whether it answers while its watches report nothing wrong. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(10);

    private final String cluster;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final ApiClient client;
    private final DesiredObjects.Gateway gateway;
    private final ClusterActions actions;
    private final Ticker watcher;
    private final ClusterCache cache;
    private final PodLogs logs;
    private final VersionApi version;
    /** Why the last list or watch failed, until the API server answers again; null while all is well. */
    private volatile String watchFailure;
    private long lastProbe = System.nanoTime() - PROBE_EVERY.toNanos();
    private volatile String probeFailure;
    private volatile String serverVersion;
    private final AtomicLong driftReverted = new AtomicLong();
    private volatile Drift lastDrift;

    /** The last drift put back, and how many in all. */
    private record Drift(long count, Instant at, String what) {
    }
    private final AtomicLong changes = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> knownNamespaces = ConcurrentHashMap.newKeySet();
    /**
     * The template each revision had when a pod of it was last ready: a revision stays Ready at zero, but a name that
     * now stands for another template (its service was deleted and created again) has not served yet.
     */
    private final Map<RevisionKey, Template> servedWith = new ConcurrentHashMap<>();
    /** Ebb's last apply of each Deployment. */
    private final Map<RevisionKey, Applied> applied = new ConcurrentHashMap<>();

    /**
     * @param specHash the hash of the spec Ebb applied, replicas left out
     * @param replicas the replica count Ebb applied
     * @param storedTemplate the pod template as the API server stored it after that apply (defaults filled in)
     * @param generation the Deployment's generation after Ebb's last apply of its spec: a watched copy of a lower one
     *                   predates it
     * @param at when Ebb last wrote it, spec or replicas (System.nanoTime), so that a Deployment the watch has not
     *           brought yet is not taken for one deleted or edited
     * @param unseen the resource version Ebb's last write produced ({@link #WRITING} while it is under way), until the
     *               watch brings that version: a copy from before it (a scale patch leaves no generation to compare) is
     *               not a change by someone else
     */
    private record Applied(String specHash, int replicas, String storedTemplate, long generation, long at, String unseen) {

        Applied seen() {
            return new Applied(specHash, replicas, storedTemplate, generation, at, null);
        }
    }

    /** The {@code unseen} version of a Deployment Ebb is writing: no resource version is empty. */
    private static final String WRITING = "";
    /** Longer than a watch takes to bring a new Deployment; a Deployment missing after it was deleted by someone. */
    private static final Duration WATCH_LAG = Duration.ofSeconds(5);
    private volatile Map<RevisionKey, RevisionDeployment> desired = Map.of();
    /** Whether this replica only watches the revisions (it follows): nothing re-created, no drift put back. */
    private volatile boolean passive;
    private volatile List<ExposedService> exposed = List.of();
    /** Each namespace's registry logins, from {@link #pullWith}. */
    private volatile Map<String, List<RegistryLogin>> pullLogins = Map.of();
    /** The pull Secret applied to each namespace, by the hash of its content. */
    private final Map<String, String> appliedPullSecrets = new ConcurrentHashMap<>();
    /** The Services ({@code namespace/name}) applied already: their spec never changes, so once is enough. */
    private final Set<String> appliedServices = ConcurrentHashMap.newKeySet();
    private volatile Map<RevisionKey, RevisionObservation> observed = Map.of();
    private volatile String unreachable;
    private final Duration progressDeadline;

    /**
     * @param observeEvery how often revisions' states are worked out again from what the watches hold, besides at
     *                     once on every change they bring
     */
    public KubernetesRuntime(String cluster, ApiClients clients, DesiredObjects.Gateway gateway, Duration observeEvery,
            ClusterActions actions) {
        this(cluster, clients, gateway, observeEvery, DesiredObjects.PROGRESS_DEADLINE, actions);
    }

    /** @param progressDeadline how long a revision's pods may take to become ready before its Deployment fails */
    public KubernetesRuntime(String cluster, ApiClients clients, DesiredObjects.Gateway gateway, Duration observeEvery,
            Duration progressDeadline, ClusterActions actions) {
        this.progressDeadline = progressDeadline;
        this.actions = actions;
        this.cluster = cluster;
        this.client = clients.calls();
        this.apps = new AppsV1Api(client);
        this.core = new CoreV1Api(client);
        this.version = new VersionApi(client);
        this.gateway = gateway;
        this.watcher = new Ticker("ebb-kubernetes-" + cluster, observeEvery, this::observeCluster,
                e -> log.warn("Observing cluster {} failed; trying again", cluster, e));
        this.cache = new ClusterCache(clients.watches(), () -> watcher.wake(), this::watchFailed);
        this.logs = new PodLogs(cluster, core, new CoreV1Api(clients.watches()));
    }

    public void start() {
        cache.start();
        watcher.start();
    }

    /** The copy of a revision's Deployment the watch holds (null when it holds none), for tests that race it. */
    V1Deployment watched(RevisionKey key) {
        return cache.deployment(key.namespace(), key.revision());
    }

    private void watchFailed(Throwable error) {
        String why = error instanceof Exception e ? describe(e) : error.toString();
        if (!why.equals(watchFailure)) {
            log.warn("Watching cluster {} failed: {}; trying again", cluster, why);
        }
        watchFailure = why;
        watcher.wake();
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public void expose(List<ExposedService> services) {
        exposed = List.copyOf(services);
    }

    @Override
    public void pullWith(Map<String, List<RegistryLogin>> logins) {
        pullLogins = Map.copyOf(logins);
    }

    @Override
    public synchronized void apply(List<RevisionDeployment> wanted) {
        Map<RevisionKey, RevisionDeployment> next = desire(wanted, false);
        try {
            applyAll(next, true);
            unreachable = null;
        } catch (ApiException | RuntimeException e) {
            String why = describe(e);
            if (!why.equals(unreachable)) {
                log.warn("Applying to cluster {} failed: {}", cluster, why);
            }
            unreachable = why;
            changed();
        }
        watcher.wake();
    }

    @Override
    public synchronized void observeOnly(List<RevisionDeployment> revisions) {
        desire(revisions, true);
        watcher.wake();
    }

    /**
     * Takes {@code revisions} as what the cluster is to run, and whether this driver only watches it ({@code passive}) or
     * also writes; answers them by key in the order given, the order they are applied in.
     */
    private Map<RevisionKey, RevisionDeployment> desire(List<RevisionDeployment> revisions, boolean passive) {
        Map<RevisionKey, RevisionDeployment> byKey = new LinkedHashMap<>();
        revisions.forEach(d -> byKey.put(d.key(), d));
        this.passive = passive;
        desired = Map.copyOf(byKey);
        return byKey;
    }

    @Override
    public synchronized void standDown() {
        passive = true;
        desired = Map.of();
        applied.clear();
        appliedServices.clear();
        appliedPullSecrets.clear();
        observed = Map.of();
        changed();
    }

    private void applyAll(Map<RevisionKey, RevisionDeployment> wanted, boolean pruneOthers) throws ApiException {
        if (pruneOthers) {
            // Before the Deployments, so that no pod of a private image is created before it can pull.
            applyPullSecrets();
        }
        List<Write> writes = new ArrayList<>();
        for (RevisionDeployment deployment : wanted.values()) {
            RevisionKey key = deployment.key();
            if (deployment.template().image() == null) {
                continue;
            }
            ensureNamespace(key.namespace());
            Desired built = built(key, deployment.template());
            String hash = built.hash();
            Applied last = applied.get(key);
            if (last != null && last.specHash().equals(hash) && last.replicas() != deployment.instances()) {
                // Only the count changed: the autoscaler's word goes through the scale subresource, a few bytes.
                writes.add(() -> {
                    V1Scale scaled = PatchUtils.patch(V1Scale.class, () -> apps.patchNamespacedDeploymentScale(key.revision(),
                            key.namespace(), new V1Patch("{\"spec\":{\"replicas\":" + deployment.instances() + "}}"))
                            .fieldManager(FIELD_MANAGER).buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
                    applied.put(key, new Applied(hash, deployment.instances(), last.storedTemplate(), last.generation(),
                            System.nanoTime(), resourceVersion(scaled.getMetadata())));
                    return scaled;
                });
            } else if (last == null || !last.specHash().equals(hash)) {
                V1Deployment object = DesiredObjects.deployment(key, deployment.template(), deployment.instances(), progressDeadline,
                        built.pullSecret());
                if (last != null) {
                    // Until the API server answers, the watch may bring the new template first: not someone else's edit.
                    applied.put(key, new Applied(last.specHash(), last.replicas(), last.storedTemplate(), last.generation(),
                            System.nanoTime(), WRITING));
                }
                writes.add(() -> {
                    V1Deployment stored = PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(
                            key.revision(), key.namespace(), new V1Patch(DesiredObjects.json(object))).fieldManager(FIELD_MANAGER)
                            .force(true).buildCall(null), V1Patch.PATCH_FORMAT_APPLY_YAML, client);
                    applied.put(key, new Applied(hash, deployment.instances(), DesiredObjects.json(stored.getSpec().getTemplate()),
                            generation(stored), System.nanoTime(), resourceVersion(stored.getMetadata())));
                    return stored;
                });
            }
        }
        Map<String, Set<String>> services = new HashMap<>();
        if (pruneOthers) {
            for (ExposedService service : exposed) {
                ensureNamespace(service.namespace());
                for (String name : DesiredObjects.serviceNames(service.name(), service.tags())) {
                    services.computeIfAbsent(service.namespace(), ns -> new HashSet<>()).add(name);
                    String id = service.namespace() + "/" + name;
                    if (appliedServices.contains(id)) {
                        continue;
                    }
                    V1Service object = DesiredObjects.service(service.namespace(), name, service.name(), gateway);
                    writes.add(() -> {
                        V1Service stored = PatchUtils.patch(V1Service.class, () -> core.patchNamespacedService(name,
                                service.namespace(), new V1Patch(DesiredObjects.json(object))).fieldManager(FIELD_MANAGER)
                                .force(true).buildCall(null), V1Patch.PATCH_FORMAT_APPLY_YAML, client);
                        appliedServices.add(id);
                        return stored;
                    });
                }
            }
        }
        runAll(writes);
        if (pruneOthers && pruneDue(wanted.keySet(), services)) {
            prune(wanted, services);
        }
    }

    /**
     * Gives each namespace Ebb runs services in a pull Secret when its Ebb namespace has registry credentials (applied
     * again when they change), and deletes the Secret of one that has none any more.
     */
    private void applyPullSecrets() throws ApiException {
        Map<String, List<RegistryLogin>> logins = pullLogins;
        List<Write> writes = new ArrayList<>();
        for (String namespace : exposedNamespaces()) {
            List<RegistryLogin> namespaceLogins = logins.get(namespace);
            if (namespaceLogins == null) {
                if (appliedPullSecrets.containsKey(namespace)) {
                    writes.add(() -> {
                        deleteQuietly(() -> core.deleteNamespacedSecret(DesiredObjects.PULL_SECRET, namespace).execute());
                        appliedPullSecrets.remove(namespace);
                        log.info("Removed the image pull Secret of namespace {} on cluster {}: it has no registry credentials any more",
                                namespace, cluster);
                        return null;
                    });
                }
                continue;
            }
            V1Secret secret = DesiredObjects.pullSecret(namespace, namespaceLogins);
            String body = DesiredObjects.json(secret);
            String hash = DesiredObjects.hash(body);
            if (hash.equals(appliedPullSecrets.get(namespace))) {
                continue;
            }
            ensureNamespace(namespace);
            writes.add(() -> {
                V1Secret stored = PatchUtils.patch(V1Secret.class, () -> core.patchNamespacedSecret(DesiredObjects.PULL_SECRET,
                        namespace, new V1Patch(body)).fieldManager(FIELD_MANAGER).force(true).buildCall(null),
                        V1Patch.PATCH_FORMAT_APPLY_YAML, client);
                appliedPullSecrets.put(namespace, hash);
                return stored;
            });
        }
        runAll(writes);
    }

    private Set<String> exposedNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        exposed.forEach(service -> namespaces.add(service.namespace()));
        return namespaces;
    }

    /** Sends the writes {@link #PARALLEL_WRITES} at a time; the first failure is thrown once all have ended. */
    private void runAll(List<Write> writes) throws ApiException {
        if (writes.isEmpty()) {
            return;
        }
        if (writes.size() == 1) {
            writes.get(0).run();
            return;
        }
        List<Future<Object>> pending = new ArrayList<>();
        for (Write write : writes) {
            pending.add(writers.submit(write::run));
        }
        Exception first = null;
        for (Future<Object> future : pending) {
            try {
                future.get();
            } catch (ExecutionException e) {
                first = first == null ? (Exception) e.getCause() : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while applying to cluster " + cluster, e);
            }
        }
        if (first instanceof ApiException api) {
            throw api;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
    }

    /**
     * Whether to look for objects to delete now: when something Ebb wanted before is no longer wanted, and otherwise
     * once a minute (for objects left by an earlier run), rather than two cluster-wide lists on every pass.
     */
    private boolean pruneDue(Set<RevisionKey> wanted, Map<String, Set<String>> services) {
        Set<String> serviceNames = new HashSet<>();
        services.forEach((ns, names) -> names.forEach(name -> serviceNames.add(ns + "/" + name)));
        boolean shrunk = !wanted.containsAll(lastPrunedWanted) || !serviceNames.containsAll(lastPrunedServices);
        boolean due = shrunk || System.nanoTime() - lastPrune > PRUNE_INTERVAL.toNanos();
        lastPrunedWanted = Set.copyOf(wanted);
        lastPrunedServices = Set.copyOf(serviceNames);
        if (due) {
            lastPrune = System.nanoTime();
        }
        return due;
    }

    /**
     * Deletes the Deployments and Services Ebb made that nothing wants any more, found by their labels, and the pull
     * Secret of each namespace Ebb runs in (or did) that nothing pulls with any more. Secrets are read by their one name
     * rather than listed: Ebb's role may read no other Secret.
     */
    private void prune(Map<RevisionKey, RevisionDeployment> wanted, Map<String, Set<String>> services) throws ApiException {
        Set<String> wantedDeployments = new HashSet<>();
        wanted.keySet().forEach(k -> wantedDeployments.add(k.namespace() + "/" + k.revision()));
        Set<String> namespaces = new TreeSet<>(appliedPullSecrets.keySet());
        for (V1Deployment deployment : apps.listDeploymentForAllNamespaces().labelSelector(MANAGED).execute().getItems()) {
            String ns = deployment.getMetadata().getNamespace();
            String name = deployment.getMetadata().getName();
            namespaces.add(ns);
            if (!wantedDeployments.contains(ns + "/" + name)) {
                log.info("Removing Deployment {}/{} from cluster {}: its revision no longer runs", ns, name, cluster);
                deleteQuietly(() -> apps.deleteNamespacedDeployment(name, ns).propagationPolicy("Background").execute());
                applied.keySet().removeIf(k -> k.namespace().equals(ns) && k.revision().equals(name));
                built.keySet().removeIf(k -> k.namespace().equals(ns) && k.revision().equals(name));
            }
        }
        for (V1Service service : core.listServiceForAllNamespaces().labelSelector(MANAGED).execute().getItems()) {
            String ns = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            namespaces.add(ns);
            if (!services.getOrDefault(ns, Set.of()).contains(name)) {
                log.info("Removing Service {}/{} from cluster {}: its service is gone or placed elsewhere", ns, name, cluster);
                deleteQuietly(() -> core.deleteNamespacedService(name, ns).execute());
                appliedServices.remove(ns + "/" + name);
            }
        }
        Set<String> pulling = exposedNamespaces();
        pulling.retainAll(pullLogins.keySet());
        namespaces.removeAll(pulling);
        for (String ns : namespaces) {
            if (pullSecretIn(ns)) {
                log.info("Removing the image pull Secret of namespace {} from cluster {}: no service there pulls with it", ns, cluster);
                deleteQuietly(() -> core.deleteNamespacedSecret(DesiredObjects.PULL_SECRET, ns).execute());
            }
            appliedPullSecrets.remove(ns);
        }
    }

    /** Whether the namespace holds a pull Secret Ebb made (one by that name that Ebb did not make is left alone). */
    private boolean pullSecretIn(String namespace) throws ApiException {
        try {
            V1Secret secret = core.readNamespacedSecret(DesiredObjects.PULL_SECRET, namespace).execute();
            Map<String, String> labels = secret.getMetadata().getLabels();
            return labels != null && DesiredObjects.EBB.equals(labels.get(DesiredObjects.MANAGED_BY));
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private interface Write {
        Object run() throws ApiException;
    }

    /** How many writes to the API server one driver has in flight at most. */
    static final int PARALLEL_WRITES = 8;
    private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
    private final ExecutorService writers = Executors.newFixedThreadPool(PARALLEL_WRITES, runnable -> {
        Thread thread = new Thread(runnable, "ebb-kubernetes-write");
        thread.setDaemon(true);
        return thread;
    });
    private Set<RevisionKey> lastPrunedWanted = Set.of();
    private Set<String> lastPrunedServices = Set.of();
    private long lastPrune = System.nanoTime() - Duration.ofHours(1).toNanos();

    /** A delete whose object is already gone is done; client-java may also fail to parse a delete's answer. */
    private static void deleteQuietly(Write call) throws ApiException {
        try {
            call.run();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        } catch (com.google.gson.JsonSyntaxException | IllegalArgumentException e) {
            // The object was deleted; the API server answered with a Status that client-java cannot read as the object.
        }
    }

    private void ensureNamespace(String namespace) throws ApiException {
        if (knownNamespaces.contains(namespace)) {
            return;
        }
        try {
            core.readNamespace(namespace).execute();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            core.createNamespace(DesiredObjects.namespace(namespace)).execute();
            log.info("Created namespace {} on cluster {} for Ebb's services", namespace, cluster);
            actions.namespaceCreated(cluster, namespace);
        }
        knownNamespaces.add(namespace);
    }

    /**
     * Works out every wanted revision's state from the Deployments and Pods the watches hold; a changed one moves
     * {@link #changes}. While a watch reports failures, or every {@link #PROBE_EVERY} otherwise, the API server is asked
     * whether it answers at all: when it does not, every revision is Unknown with the reason.
     */
    private void observeCluster() {
        Map<RevisionKey, RevisionDeployment> wanted = desired;
        Map<RevisionKey, RevisionObservation> next = new LinkedHashMap<>();
        String unanswered = probe();
        for (RevisionDeployment deployment : wanted.values()) {
            RevisionKey key = deployment.key();
            if (unanswered != null) {
                next.put(key, unreachable(key, deployment, observed.get(key), unanswered));
                continue;
            }
            if (deployment.template().image() == null) {
                next.put(key, new RevisionObservation(key, deployment.instances(), 0, "False", "NoImage",
                        "The template names no image, which a Kubernetes cluster needs: set template.image", List.of()));
                continue;
            }
            V1Deployment found = cache.synced() ? cache.deployment(key.namespace(), key.revision()) : null;
            if (found == null) {
                if (cache.synced() && !passive) {
                    recreateIfDeleted(key);
                }
                next.put(key, new RevisionObservation(key, deployment.instances(), 0, "Unknown", PodStates.DEPLOYING,
                        "Waiting for its Deployment on cluster " + cluster, List.of()));
                continue;
            }
            if (!passive) {
                revertDrift(key, found);
            }
            List<V1Pod> pods = cache.pods(key.namespace(), key.revision());
            RevisionObservation observation = PodStates.observe(key, found, pods, deployment.template().port(),
                    deployment.template().equals(servedWith.get(key)), startsAtZero(deployment.template()),
                    new PodStates.History(logs.crashOutput(pods), cache.imagePulled(key.namespace(), pods),
                            cache.probeFailures(key.namespace(), pods)));
            if (!observation.endpoints().isEmpty()) {
                servedWith.put(key, deployment.template());
            }
            next.put(key, observation);
        }
        if (!next.equals(observed)) {
            observed = Map.copyOf(next);
            changed();
        }
    }

    /**
     * A revision while its cluster's API server does not answer. Its pods need no API server to serve: one that was
     * ready stays Ready with the instances last seen, so the gateway keeps routing to them and traffic keeps
     * following it, and the condition says the state is the last known one. One that was not ready yet is Unknown.
     */
    private RevisionObservation unreachable(RevisionKey key, RevisionDeployment deployment, RevisionObservation last,
            String why) {
        String cannot = "Cannot reach cluster " + cluster + ": " + why;
        if (last != null && "True".equals(last.readyStatus())) {
            return new RevisionObservation(key, last.desired(), last.ready(), "True", "ClusterUnreachable",
                    cannot + "; routing to the " + last.endpoints().size() + " instance(s) it last reported", last.endpoints(),
                    last.instances());
        }
        return new RevisionObservation(key, deployment.instances(), 0, "Unknown", "ClusterUnreachable", cannot, List.of());
    }

    /** Null when the API server answers (or was asked recently and all is quiet); otherwise why it does not. */
    private String probe() {
        String failure = watchFailure;
        if (failure == null && System.nanoTime() - lastProbe < PROBE_EVERY.toNanos()) {
            return null;
        }
        lastProbe = System.nanoTime();
        try {
            serverVersion = version.getCode().execute().getGitVersion();
            watchFailure = null;
            probeFailure = null;
            return null;
        } catch (ApiException | RuntimeException e) {
            probeFailure = describe(e);
            return probeFailure;
        }
    }

    private void drifted(RevisionKey key, String what) {
        lastDrift = new Drift(driftReverted.incrementAndGet(), Instant.now(), key.revision() + ": " + what);
        actions.driftReverted(cluster, key, what);
    }

    @Override
    public DriverHealth health() {
        String failure = unreachable != null ? unreachable : probeFailure != null ? probeFailure : watchFailure;
        Drift drift = lastDrift;
        return new DriverHealth(failure == null, failure == null ? null : "The API server " + client.getBasePath()
                + " does not answer as it should: " + failure, serverVersion, drift == null ? 0 : drift.count(),
                drift == null ? null : drift.at(), drift == null ? null : drift.what());
    }

    /**
     * A revision's desired spec hash, worked out once per template (and whether its namespace has a pull Secret) rather
     * than on every pass.
     */
    private record Desired(Template template, boolean pullSecret, String hash) {
    }

    private final Map<RevisionKey, Desired> built = new ConcurrentHashMap<>();

    private Desired built(RevisionKey key, Template template) {
        boolean pullSecret = pullLogins.containsKey(key.namespace());
        Desired known = built.get(key);
        if (known != null && known.template().equals(template) && known.pullSecret() == pullSecret) {
            return known;
        }
        Desired fresh = new Desired(template, pullSecret, DesiredObjects.deployment(key, template, 0, progressDeadline, pullSecret)
                .getMetadata().getAnnotations().get(DesiredObjects.SPEC_HASH));
        built.put(key, fresh);
        return fresh;
    }

    /**
     * A Deployment whose pod template or replica count someone changed by hand gets Ebb's spec back at once. The template
     * is compared with what the API server stored after Ebb's own last apply, so the server's defaults never look like
     * a change. A copy the watch brought from before Ebb's own last write is not a change either: one of a lower
     * generation (every spec change raises it), or, for a few seconds after the write, any version but the one the
     * write produced (a scale patch raises the generation without saying to what, so a copy from before a scale-down
     * would otherwise read as replicas someone set).
     */
    private void revertDrift(RevisionKey key, V1Deployment found) {
        RevisionDeployment wanted = desired.get(key);
        Applied last = applied.get(key);
        if (wanted == null || last == null || last.replicas() != wanted.instances() || generation(found) < last.generation()) {
            return;
        }
        if (last.unseen() != null) {
            if (last.unseen().equals(resourceVersion(found.getMetadata()))) {
                applied.replace(key, last, last.seen());
            } else if (System.nanoTime() - last.at() < WATCH_LAG.toNanos()) {
                return;
            }
        }
        Integer replicas = found.getSpec() == null ? null : found.getSpec().getReplicas();
        boolean templateChanged = found.getSpec() != null
                && !last.storedTemplate().equals(DesiredObjects.json(found.getSpec().getTemplate()));
        if (templateChanged || !Objects.equals(replicas, wanted.instances())) {
            String what = templateChanged ? "its pod template" : "its replicas (" + replicas + " instead of " + wanted.instances() + ")";
            log.warn("Deployment {}/{} on cluster {} was changed outside Ebb ({}); putting Ebb's spec back", key.namespace(),
                    key.revision(), cluster, what);
            reapply(key);
            drifted(key, what);
        }
    }

    /**
     * A Deployment past its progress deadline stays failed whatever its pods do later, until it rolls out again: a retry
     * deletes it, and the next round creates it afresh, with new pods and a new deadline. Forgetting what was applied
     * first keeps the deletion from reading as someone else's (which would be put back after a wait and audited). A
     * cluster that does not answer leaves the revision failed, which its status keeps saying.
     */
    @Override
    public void retry(RevisionKey revision) {
        applied.remove(revision);
        try {
            deleteQuietly(() -> apps.deleteNamespacedDeployment(revision.revision(), revision.namespace())
                    .propagationPolicy("Background").execute());
            log.info("Deployment {}/{} on cluster {} deleted to retry its revision; creating it afresh", revision.namespace(),
                    revision.revision(), cluster);
        } catch (ApiException e) {
            // The revision's status keeps saying it failed, so the operator sees the retry did not take and can ask again.
            log.warn("Cluster {} did not delete Deployment {}/{} to retry its revision ({}); retry again when it answers",
                    cluster, revision.namespace(), revision.revision(), describe(e));
        }
    }

    /**
     * A Deployment Ebb applied that the watch no longer holds, well after the apply, was deleted by someone: it is
     * created again at once, and the audit trail says so, as for any other edit.
     */
    private void recreateIfDeleted(RevisionKey key) {
        Applied last = applied.get(key);
        if (last == null || System.nanoTime() - last.at() < WATCH_LAG.toNanos()) {
            return;
        }
        log.warn("Deployment {}/{} on cluster {} was deleted outside Ebb; creating it again", key.namespace(), key.revision(),
                cluster);
        reapply(key);
        drifted(key, "it was deleted");
    }

    private static boolean startsAtZero(Template template) {
        return template.scale() != null && Integer.valueOf(0).equals(template.scale().initial());
    }

    private static String resourceVersion(V1ObjectMeta metadata) {
        return metadata == null ? null : metadata.getResourceVersion();
    }

    private static long generation(V1Deployment deployment) {
        Long generation = deployment.getMetadata() == null ? null : deployment.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private synchronized void reapply(RevisionKey key) {
        applied.remove(key);
        RevisionDeployment wanted = desired.get(key);
        if (wanted == null) {
            return;
        }
        try {
            applyAll(Map.of(key, wanted), false);
        } catch (ApiException | RuntimeException e) {
            log.warn("Putting back Deployment {}/{} on cluster {} failed: {}", key.namespace(), key.revision(), cluster, describe(e));
            // Its namespace may be what was deleted: look for it again next time rather than trust having seen it.
            knownNamespaces.remove(key.namespace());
        }
    }

    private void changed() {
        changes.incrementAndGet();
        listeners.forEach(Runnable::run);
    }

    static String describe(Exception e) {
        if (e instanceof ApiException api) {
            return api.getCode() == 0 ? String.valueOf(api.getCause()) : "HTTP " + api.getCode() + " " + api.getResponseBody();
        }
        return e.toString();
    }

    @Override
    public List<String> logs(RevisionKey key, LogQuery query) throws IOException {
        return logs.recent(key.namespace(), cache.pods(key.namespace(), key.revision()), query);
    }

    @Override
    public AutoCloseable followLogs(RevisionKey key, Consumer<String> lines) throws IOException {
        return logs.follow(key.namespace(), cache.pods(key.namespace(), key.revision()), lines);
    }

    @Override
    public List<RevisionObservation> observe() {
        Map<RevisionKey, RevisionObservation> now = observed;
        List<RevisionObservation> all = new ArrayList<>();
        for (RevisionKey key : desired.keySet()) {
            RevisionObservation observation = now.get(key);
            if (observation != null) {
                all.add(observation);
            }
        }
        return all;
    }

    @Override
    public long changes() {
        return changes.get();
    }

    @Override
    public void drainWith(InstanceActivity activity) {
        // Kubernetes drains a stopping pod itself: it leaves the endpoints, then gets SIGTERM and its grace period.
    }

    @Override
    public void whenChanged(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        watcher.close();
        cache.close();
        writers.shutdownNow();
    }
}

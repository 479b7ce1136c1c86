package dev.ebb.runtime;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.cluster.ClusterStates;
import dev.ebb.cluster.ClusterStatus;
import dev.ebb.leadership.Leadership;
import dev.ebb.revision.InstanceCounts;
import dev.ebb.registry.PullLogins;
import dev.ebb.revision.RevisionStore;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import dev.ebb.spec.Template;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The runtime drivers by cluster name, each with its own reconciler. Drivers come and go while Ebb runs (a cluster
 * registered or removed); the autoscaler, the routing publisher and the cold-start recorder see every cluster
 * through this one object, whatever joins later.
 */
public final class Runtimes implements InstanceCounts, ClusterStates, AutoCloseable {

    private final ServiceCatalog catalog;
    private final RevisionStore revisions;
    private final PullLogins pullLogins;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final RuntimeLimits limits;
    private final Leadership leadership;
    private final Map<String, Reconciler> clusters = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong membership = new AtomicLong();
    private volatile ScalePolicy policy = ScalePolicy.ALWAYS_ON;
    private volatile InstanceActivity activity = InstanceActivity.UNKNOWN;
    private final Supplier<Set<String>> gateways;
    /** The clusters whose gateways take forwarded requests, read again after a cluster changed; null until first asked. */
    private volatile Set<String> withGateway;
    /** Every ready instance an observation showed in the last ten minutes, up to 10,000 of them. */
    private final RecentEndpoints recent;

    /** @param gateways the clusters whose gateways take requests forwarded from other clusters (a database read) */
    public Runtimes(ServiceCatalog catalog, RevisionStore revisions, PullLogins pullLogins, Clock clock,
            ApplicationEventPublisher events, RuntimeLimits limits, Leadership leadership, Supplier<Set<String>> gateways) {
        this.leadership = leadership;
        this.gateways = gateways;
        // A replica that starts leading plans every service again: the last leader may have changed anything since. One
        // that stops leaves the clusters to the next.
        leadership.onChange(leads -> {
            if (leads) {
                clusters.values().forEach(Reconciler::takeOver);
            } else {
                clusters.values().forEach(Reconciler::wake);
            }
        });
        this.pullLogins = pullLogins;
        this.limits = limits;
        this.catalog = catalog;
        this.revisions = revisions;
        this.clock = clock;
        this.events = events;
        this.recent = new RecentEndpoints(10_000, Duration.ofMinutes(10), clock);
    }

    /** Lets a cluster's reconciler leave when closed, before its driver stops. */
    public interface Membership extends AutoCloseable {

        @Override
        void close();
    }

    /**
     * Starts reconciling the driver's cluster (replacing a driver of the same name, whose reconciler stops). The
     * caller keeps owning the driver and closes the membership before it stops the driver.
     */
    public synchronized Membership add(RuntimeDriver driver) {
        String cluster = driver.cluster();
        Reconciler reconciler = new Reconciler(catalog, revisions, pullLogins, driver, clock, events, limits, leadership,
                this::clustersWithGateway, this::runningIn);
        driver.drainWith(activity);
        reconciler.scaleWith(policy);
        driver.whenChanged(() -> listeners.forEach(Runnable::run));
        Reconciler previous = clusters.put(cluster, reconciler);
        if (previous != null) {
            previous.close();
        }
        reconciler.start();
        changed();
        return () -> remove(cluster, reconciler);
    }

    private synchronized void remove(String cluster, Reconciler reconciler) {
        if (clusters.remove(cluster, reconciler)) {
            reconciler.close();
            changed();
        }
    }

    private void changed() {
        membership.incrementAndGet();
        listeners.forEach(Runnable::run);
    }

    /** The clusters with a driver now, sorted. */
    public List<String> clusters() {
        return List.copyOf(new TreeSet<>(clusters.keySet()));
    }

    /** The driver of one cluster, empty when none runs it here. */
    public Optional<RuntimeDriver> driver(String cluster) {
        return Optional.ofNullable(clusters.get(cluster)).map(Reconciler::driver);
    }

    /** Instance counts come from {@code policy} from now on, on every cluster. */
    public synchronized void scaleWith(ScalePolicy policy) {
        this.policy = policy;
        clusters.values().forEach(r -> r.scaleWith(policy));
    }

    /** Every driver lets a stopping instance finish what {@code activity} says is in flight. */
    public synchronized void drainWith(InstanceActivity activity) {
        this.activity = activity;
        clusters.values().forEach(r -> r.driver().drainWith(activity));
    }

    /** Calls {@code listener} whenever {@link #changes} moves: any driver's observation, or a cluster joining or leaving. */
    public void whenChanged(Runnable listener) {
        listeners.add(listener);
    }

    /** A number that changes whenever anything {@link #observe()} reports may have changed. */
    public long changes() {
        long sum = membership.get();
        for (Reconciler reconciler : clusters.values()) {
            sum += reconciler.driver().changes();
        }
        return sum;
    }

    /**
     * What the drivers see, one observation per revision: a revision placed on several clusters counts the instances of
     * all of them (see {@link #merged}).
     */
    public List<RevisionObservation> observe() {
        Map<RevisionKey, RevisionObservation> merged = new LinkedHashMap<>();
        for (Reconciler reconciler : clusters.values()) {
            for (RevisionObservation observation : reconciler.driver().observe()) {
                recent.saw(observation);
                merged.merge(observation.key(), observation, Runtimes::merged);
            }
        }
        return List.copyOf(merged.values());
    }

    /** What each cluster's driver sees, by cluster name. */
    public Map<String, List<RevisionObservation>> observeByCluster() {
        Map<String, List<RevisionObservation>> byCluster = new HashMap<>();
        clusters.forEach((cluster, reconciler) -> {
            List<RevisionObservation> observations = reconciler.driver().observe();
            observations.forEach(recent::saw);
            byCluster.put(cluster, observations);
        });
        return byCluster;
    }

    /** One revision as the clusters that run it see it, together. */
    public Optional<RevisionObservation> observe(String namespace, String revision) {
        RevisionObservation merged = null;
        for (Reconciler reconciler : clusters.values()) {
            Optional<RevisionObservation> found = reconciler.driver().observe(namespace, revision);
            if (found.isPresent()) {
                recent.saw(found.get());
                merged = merged == null ? found.get() : merged(merged, found.get());
            }
        }
        return Optional.ofNullable(merged);
    }

    /**
     * One revision seen by two clusters: their instances and endpoints together; its readiness is what the revision's
     * stored status says (the reconcilers combine each cluster's there), so the first observation's stands here.
     */
    private static RevisionObservation merged(RevisionObservation a, RevisionObservation b) {
        List<Endpoint> endpoints = new ArrayList<>(a.endpoints());
        endpoints.addAll(b.endpoints());
        List<InstanceCounts.Instance> instances = new ArrayList<>(a.instances());
        instances.addAll(b.instances());
        return new RevisionObservation(a.key(), a.desired() + b.desired(), a.ready() + b.ready(), a.readyStatus(), a.reason(),
                a.message(), endpoints, instances);
    }

    /**
     * One instance of a revision as an observation showed it ready within the last ten minutes (it may have stopped
     * since, or be failing its readiness probe), or else as it answers now; empty when neither. The times it carries do
     * not change once it is ready, so the remembered one comes first: the cold-start recorder asks on the embedded
     * gateway's event loop, and asking the driver waits for whatever holds the revision (the local runtime holds it while
     * it starts a batch of instances). An instance a gateway forwarded to was seen already: the routing publisher's
     * observation put it in the snapshot.
     */
    public Optional<Endpoint> endpoint(String namespace, String revision, String instance) {
        Optional<Endpoint> seen = recent.find(namespace, revision, instance);
        return seen.isPresent() ? seen : observe(namespace, revision).stream().flatMap(observation -> observation.endpoints().stream())
                .filter(endpoint -> endpoint.instance().equals(instance)).findFirst();
    }

    @Override
    public Optional<Instances> of(String namespace, String revision) {
        return observe(namespace, revision).map(observation -> new Instances(observation.desired(), observation.ready(), 0,
                observation.instances()));
    }

    /** Every revision that may run now on any cluster, with its template. */
    public Map<RevisionKey, Template> eligible() {
        Map<RevisionKey, Template> eligible = new HashMap<>();
        clusters.values().forEach(r -> eligible.putAll(r.eligible()));
        return eligible;
    }

    /** The revisions that may run and that traffic reaches, on any cluster (see {@link Reconciler#routed}). */
    public Set<RevisionKey> routed() {
        Set<RevisionKey> routed = new HashSet<>();
        clusters.values().forEach(r -> routed.addAll(r.routed()));
        return routed;
    }

    /** Tries a failed revision again on the cluster that runs it (see {@link Reconciler#retry}). */
    public void retry(String cluster, RevisionKey key) {
        Reconciler reconciler = clusters.get(cluster);
        if (reconciler != null) {
            reconciler.retry(key);
        }
    }

    /** A retry recorded here or, passed on, by another replica: the leader's driver tries the revision again. */
    @TransactionalEventListener(fallbackExecution = true)
    public void revisionRetried(RevisionRetried event) {
        if (leadership.leads()) {
            retry(event.cluster(), new RevisionKey(event.namespace(), event.service(), event.revision()));
        }
    }

    /** Applies the scale policy's counts now on every cluster: a request is waiting for an instance. */
    public void wake() {
        clusters.values().forEach(Reconciler::wake);
    }

    @Override
    public Optional<ClusterStatus> status(String cluster) {
        Reconciler reconciler = clusters.get(cluster);
        if (reconciler == null) {
            return Optional.empty();
        }
        DriverHealth health = reconciler.driver().health();
        List<RevisionObservation> observed = reconciler.driver().observe();
        return Optional.of(new ClusterStatus(health.reachable(), health.message(), health.version(),
                reconciler.lastApplied().orElse(null), observed.size(),
                new ClusterStatus.Instances(observed.stream().mapToInt(RevisionObservation::desired).sum(),
                        observed.stream().mapToInt(RevisionObservation::ready).sum()),
                new ClusterStatus.Drift(health.driftReverted(), health.lastDrift(), health.lastDriftWhat())));
    }

    /** The clusters whose drivers run instances of the revision now (were told to run at least one). */
    private Set<String> runningIn(RevisionKey key) {
        Set<String> running = new TreeSet<>();
        clusters.forEach((cluster, reconciler) -> reconciler.driver().observe(key.namespace(), key.revision())
                .filter(observation -> observation.desired() > 0).ifPresent(observation -> running.add(cluster)));
        return running;
    }

    private Set<String> clustersWithGateway() {
        Set<String> known = withGateway;
        if (known == null) {
            known = Set.copyOf(gateways.get());
            withGateway = known;
        }
        return known;
    }

    /** A cluster's gateway address may have come or gone: every cluster plans again which names it resolves. */
    @TransactionalEventListener(fallbackExecution = true)
    public void clusterChanged(ClusterChanged event) {
        withGateway = null;
        clusters.values().forEach(Reconciler::replan);
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        clusters.values().forEach(r -> r.serviceChanged(event));
    }

    @Override
    public synchronized void close() {
        clusters.values().forEach(Reconciler::close);
        clusters.clear();
    }
}

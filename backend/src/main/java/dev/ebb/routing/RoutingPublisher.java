package dev.ebb.routing;

import dev.ebb.autoscaler.GatewayPath;
import dev.ebb.background.Ticker;
import dev.ebb.cluster.ClusterChanged;
import dev.ebb.cluster.GatewayAddress;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.leadership.Leadership;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.Endpoint;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ChangedServices;
import dev.ebb.service.RoutedTraffic;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import dev.ebb.service.ServiceName;
import dev.ebb.service.ServiceRoutes;
import dev.ebb.spec.Placement;
import dev.ebb.spec.Template;
import dev.ebb.traffic.ResolvedTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps the current routing snapshot: each service's resolved traffic, refreshed when the service changes,
 * plus the ready endpoints the runtime reports. A new version is published only when the content changed;
 * gateways waiting on a long-poll and in-process listeners get it at once.
 */
public class RoutingPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoutingPublisher.class);
    /** The pause after a round that left a change unpublished (held back by {@link #MIN_PUBLISH_INTERVAL}). */
    private static final Duration TICK = Duration.ofMillis(20);
    /**
     * The pause after a round that left nothing to do: every change wakes the publisher (a service's commit, a driver's
     * observation, the autoscaler's word on the gateway's path, a cluster's address), so this only bounds how late the
     * peers' token period is noticed and how soon a failed round is tried again.
     */
    private static final Duration IDLE = Duration.ofSeconds(1);
    /**
     * Under a stream of changes (thousands of services deployed at once) publish at most once per this interval on
     * average; a few publishes in a row go out at once ({@link #PUBLISH_BURST}), so that a single change never waits
     * behind a publish that happened to go out just before it (an endpoint, a scale change).
     */
    private static final Duration MIN_PUBLISH_INTERVAL = Duration.ofMillis(100);
    private static final int PUBLISH_BURST = 5;

    private final ServiceRoutes serviceRoutes;
    private final RevisionStore revisions;
    private final Runtimes runtimes;
    private final Clock clock;
    private final Map<ServiceName, RoutingSnapshots.ServiceRouting> routes = new ConcurrentHashMap<>();
    private final ChangedServices changed;
    private final List<Consumer<RoutingSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Ticker ticker;
    private boolean dirty;
    /** Publishes allowed right now, refilled one per {@link #MIN_PUBLISH_INTERVAL} up to {@link #PUBLISH_BURST}. */
    private double publishTokens = PUBLISH_BURST;
    private long tokensAt = System.nanoTime();
    private long observedChanges = -1;
    private Map<RevisionKey, List<RoutingSnapshot.Endpoint>> lastEndpoints = Map.of();
    private Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> lastByCluster = Map.of();
    private final GatewayPath path;
    private long observedPathChanges = -1;
    private Set<RevisionKey> lastDirect = Set.of();
    private final Supplier<Map<String, GatewayAddress>> gatewaysNow;
    private final PeerTokens tokens;
    /** Read again at the next round: a cluster was registered, changed or removed. */
    private volatile boolean gatewaysStale = true;
    private Map<String, GatewayAddress> gateways = Map.of();
    private long tokenPeriod;
    private volatile RoutingSnapshot current = RoutingSnapshot.empty();
    /** What the current version was made of, for the snapshot of each cluster's gateways. */
    private volatile Published published = new Published(List.of(), Map.of(), Set.of(), Map.of(), 0);
    private final Map<String, RoutingSnapshot> byClusterCache = new ConcurrentHashMap<>();
    /** When the oldest service change not yet in a round was committed (nanoTime), 0 when none waits. */
    private final AtomicLong changedSince = new AtomicLong();
    /** When the oldest change not yet published was committed (nanoTime), 0 when none waits. */
    private long unpublishedSince;
    private CompletableFuture<RoutingSnapshot> next = new CompletableFuture<>();

    /**
     * @param runtimes where ready endpoints come from, on every cluster
     * @param gateways where each cluster's gateways take requests forwarded by other clusters' gateways
     * @param path the autoscaler's word on which revisions' requests the gateway forwards straight to their instances
     */
    RoutingPublisher(ServiceCatalog catalog, ServiceRoutes serviceRoutes, RevisionStore revisions, Runtimes runtimes,
            Clock clock, Leadership leadership, Supplier<Map<String, GatewayAddress>> gateways, PeerTokens tokens,
            GatewayPath path) {
        this.path = path;
        this.gatewaysNow = gateways;
        this.tokens = tokens;
        this.serviceRoutes = serviceRoutes;
        this.revisions = revisions;
        this.runtimes = runtimes;
        this.clock = clock;
        this.changed = new ChangedServices(catalog::allNames);
        // Only the leader's runtimes know the instances: a replica that follows publishes nothing, and gateways
        // (in-process ones too) keep the last routing it published.
        this.ticker = new Ticker("ebb-routing", () -> dirty ? TICK : IDLE, leadership.whileLeading(this::round), e -> {
            changed.everything();
            log.warn("Building the routing snapshot failed; retrying", e);
        });
    }

    public void start() {
        if (!rehearse()) {
            log.warn("Rehearsing the routing of a revision's first instance did not attach it; the first cold start pays for that code");
        }
        runtimes.whenChanged(ticker::wake);
        path.whenChanged(ticker::wake);
        ticker.start();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        changed.add(event);
        changedSince.compareAndSet(0, System.nanoTime());
        ticker.wake();
    }

    /** A cluster's gateway address may have changed: the peers of every cluster's snapshot are read again. */
    @TransactionalEventListener(fallbackExecution = true)
    public void clusterChanged(ClusterChanged event) {
        gatewaysStale = true;
        ticker.wake();
    }

    /** Builds every service's routing again at the next round: this replica has just started leading. */
    public void rebuild() {
        changed.everything();
        gatewaysStale = true;
        ticker.wake();
    }

    /** The snapshot with every cluster's instances, for gateways that do not say which cluster they are in. */
    public RoutingSnapshot current() {
        return current;
    }

    /**
     * The current version as the gateways of {@code cluster} route with it ({@link RoutingSnapshots#forCluster}): their
     * own cluster's instances, the other clusters a revision runs on, and the peers to forward to. Null for all clusters.
     */
    public RoutingSnapshot current(String cluster) {
        if (cluster == null) {
            return current;
        }
        RoutingSnapshot base;
        Published made;
        synchronized (this) {
            base = current;
            made = published;
        }
        RoutingSnapshot cached = byClusterCache.get(cluster);
        if (cached != null && cached.version() == base.version()) {
            return cached;
        }
        List<RoutingSnapshot.Peer> peers = new ArrayList<>();
        made.gateways().forEach((other, address) -> {
            if (!other.equals(cluster)) {
                peers.add(new RoutingSnapshot.Peer(other, address.host(), address.port(), tokens.current(other, made.tokenPeriod())));
            }
        });
        RoutingSnapshot projected = RoutingSnapshots.forCluster(base.version(), cluster, made.routes(), made.endpoints(),
                made.direct(), peers, tokens.accepted(cluster, made.tokenPeriod()));
        byClusterCache.put(cluster, projected);
        return projected;
    }

    /** The parts of a published version that differ from cluster to cluster. */
    private record Published(List<RoutingSnapshots.ServiceRouting> routes,
            Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> endpoints, Set<RevisionKey> direct,
            Map<String, GatewayAddress> gateways, long tokenPeriod) {
    }

    /**
     * Completes with the first snapshot newer than {@code version}: at once if there is one. Once the control plane
     * is stopping it fails with {@link Stopping} instead of waiting.
     */
    public synchronized CompletableFuture<RoutingSnapshot> newerThan(long version) {
        if (current.version() > version) {
            return CompletableFuture.completedFuture(current);
        }
        return next.copy();
    }

    /** How many callers of {@link #newerThan} wait for the next snapshot now: the gateways long-polling. */
    public synchronized int waiting() {
        return next.getNumberOfDependents();
    }

    /**
     * Fails every wait for a newer snapshot, now and from now on: the control plane is stopping, and a gateway's
     * long-poll would otherwise hold its shutdown for as long as the poll's wait.
     */
    public synchronized void stopWaiting() {
        next.completeExceptionally(new Stopping());
    }

    /**
     * Ends every wait for a newer snapshot now, as {@link #stopWaiting} does, but lets later ones wait again: this
     * replica stopped leading, and the gateways waiting on it must go and find the one that leads.
     */
    public synchronized void releaseWaiting() {
        CompletableFuture<RoutingSnapshot> waiting = next;
        if (!waiting.isDone()) {
            next = new CompletableFuture<>();
            waiting.completeExceptionally(new Stopping());
        }
    }

    /** Why a wait for a newer snapshot ended without one: the control plane is stopping, or no longer leads. */
    public static final class Stopping extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Stopping() {
            super("the control plane is stopping", null, false, false);
        }
    }

    /** Calls {@code listener} with the current snapshot and every later one. */
    public void subscribe(Consumer<RoutingSnapshot> listener) {
        listeners.add(listener);
        listener.accept(current);
    }

    @Override
    public void close() {
        ticker.close();
    }

    private static Map<Long, Placement> placements(Published published) {
        Map<Long, Placement> placements = new HashMap<>();
        published.routes().forEach(routing -> placements.put(routing.serviceId(), routing.placement()));
        return placements;
    }

    private void round() {
        long since = changedSince.getAndSet(0);
        if (since != 0 && unpublishedSince == 0) {
            unpublishedSince = since;
        }
        Set<ServiceName> batch = changed.drain();
        if (!batch.isEmpty()) {
            batch.forEach(this::refresh);
            dirty = true;
        }
        if (gatewaysStale) {
            // Cleared first, so that a change during the read is read again; set again when the read fails.
            gatewaysStale = false;
            Map<String, GatewayAddress> now;
            try {
                now = gatewaysNow.get();
            } catch (RuntimeException e) {
                gatewaysStale = true;
                throw e;
            }
            if (!now.equals(gateways)) {
                gateways = now;
                dirty = true;
            }
        }
        long period = tokens.period(clock.instant());
        if (period != tokenPeriod) {
            tokenPeriod = period;
            dirty = true;
        }
        long driverChanges = runtimes.changes();
        boolean urgent = false;
        if (driverChanges != observedChanges) {
            observedChanges = driverChanges;
            Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> byCluster = endpointsByCluster();
            Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints = combined(byCluster);
            if (!byCluster.equals(lastByCluster)) {
                // A revision that had no instance has one now: requests are held for it, so publish at once.
                urgent = endpoints.keySet().stream().anyMatch(key -> !lastEndpoints.containsKey(key));
                lastEndpoints = endpoints;
                lastByCluster = byCluster;
                dirty = true;
            }
        }
        long pathChanges = path.changes();
        if (pathChanges != observedPathChanges) {
            observedPathChanges = pathChanges;
            Set<RevisionKey> direct = Set.copyOf(path.direct());
            if (!direct.equals(lastDirect)) {
                lastDirect = direct;
                dirty = true;
            }
        }
        long now = System.nanoTime();
        publishTokens = Math.min(PUBLISH_BURST, publishTokens + (double) (now - tokensAt) / MIN_PUBLISH_INTERVAL.toNanos());
        tokensAt = now;
        if (dirty && (urgent || publishTokens >= 1)) {
            boolean published = publishIfChanged(lastEndpoints);
            if (published && unpublishedSince != 0 && log.isDebugEnabled()) {
                log.debug("Routing version {} published {} ms after the oldest service change in it was committed",
                        current.version(), String.format("%.1f", (System.nanoTime() - unpublishedSince) / 1e6));
            }
            unpublishedSince = 0;
            dirty = false;
            publishTokens = Math.max(0, publishTokens - 1);
        }
    }

    private void refresh(ServiceName name) {
        RoutingSnapshots.ServiceRouting previous = routes.get(name);
        Optional<RoutedTraffic> found = serviceRoutes.of(name);
        if (found.isEmpty()) {
            routes.remove(name);
            return;
        }
        RoutedTraffic traffic = found.get();
        List<RoutingSnapshot.Target> targets = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (ResolvedTarget target : traffic.targets()) {
            if (target.routed()) {
                targets.add(new RoutingSnapshot.Target(target.revision(), target.percent(), target.tag()));
                named.add(target.revision());
            }
        }
        Map<String, RoutingSnapshot.Revision> known = RoutingSnapshots.reusable(previous, traffic.serviceId());
        Set<String> unknown = new LinkedHashSet<>(named);
        unknown.removeAll(known.keySet());
        Map<String, Template> templates = revisions.templatesByName(name.namespace(), unknown);
        List<RoutingSnapshot.Revision> revisionRoutes = new ArrayList<>();
        for (String revision : named) {
            RoutingSnapshot.Revision route = known.get(revision);
            Template template = templates.get(revision);
            if (route == null && template != null) {
                route = new RoutingSnapshot.Revision(name.namespace(), revision, name.name(),
                        "h2c".equals(template.protocol()) ? RoutingSnapshot.Protocol.H2C : RoutingSnapshot.Protocol.HTTP1,
                        template.timeoutSeconds(), template.concurrency().limit(), List.of());
            }
            if (route != null) {
                revisionRoutes.add(route);
            }
        }
        RoutingSnapshot.Visibility visibility = "public".equals(traffic.visibility()) ? RoutingSnapshot.Visibility.PUBLIC
                : RoutingSnapshot.Visibility.CLUSTER_LOCAL;
        routes.put(name, new RoutingSnapshots.ServiceRouting(traffic.serviceId(),
                new RoutingSnapshot.Service(name.namespace(), name.name(), visibility, targets), revisionRoutes,
                traffic.placement()));
    }

    /** Each cluster's ready instances of each revision that has any there. */
    private Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> endpointsByCluster() {
        Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> byCluster = new HashMap<>();
        runtimes.observeByCluster().forEach((cluster, observations) -> byCluster.put(cluster, ready(observations)));
        return byCluster;
    }

    /** The ready instances of each revision of one cluster's observations that has any. */
    static Map<RevisionKey, List<RoutingSnapshot.Endpoint>> ready(List<RevisionObservation> observations) {
        Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints = new HashMap<>();
        for (RevisionObservation observation : observations) {
            if (!observation.endpoints().isEmpty()) {
                endpoints.put(observation.key(), observation.endpoints().stream()
                        .map(e -> new RoutingSnapshot.Endpoint(e.instance(), e.host(), e.port())).toList());
            }
        }
        return endpoints;
    }

    /**
     * Runs once what publishing a revision's first ready instance runs and publishing revisions at zero does not: the
     * observation's endpoints mapped, the snapshot assembled with them and compared with the one before. Without it
     * the first cold start after Ebb's start paid here for loading and linking that code (a lambda spun, the records'
     * {@code equals} bootstrapped), between the instance's readiness and the gateway's forward: 21-26 ms against 2-6 ms
     * for the later ones (bench/coldstart, profiled). Nothing is published; returns whether the two snapshots differ,
     * as they must.
     */
    static boolean rehearse() {
        RevisionKey key = new RevisionKey("ebb-rehearsal", "rehearsal", "rehearsal-00001");
        Endpoint instance = new Endpoint("rehearsal-00001-1", "127.0.0.1", 1, Instant.EPOCH, Instant.EPOCH);
        Map<RevisionKey, List<RoutingSnapshot.Endpoint>> ready = combined(Map.of("rehearsal",
                ready(List.of(new RevisionObservation(key, 1, 1, "True", null, null, List.of(instance), List.of())))));
        List<RoutingSnapshots.ServiceRouting> routing = List.of(new RoutingSnapshots.ServiceRouting(0,
                new RoutingSnapshot.Service(key.namespace(), key.service(), null, List.of(new RoutingSnapshot.Target(key.revision(), 100, null))),
                List.of(new RoutingSnapshot.Revision(key.namespace(), key.revision(), key.service(), null, 300, 0, List.of())),
                new Placement(List.of(), Map.of())));
        RoutingSnapshot atZero = RoutingSnapshots.assemble(0, routing, Map.of(), Set.of());
        RoutingSnapshot withInstance = RoutingSnapshots.assemble(0, routing, ready, Set.of(key));
        RoutingSnapshot again = RoutingSnapshots.assemble(0, routing, ready, Set.of(key));
        return !atZero.revisions().equals(withInstance.revisions()) && withInstance.revisions().equals(again.revisions());
    }

    /** Every cluster's instances of each revision together: what a gateway that names no cluster routes to. */
    private static Map<RevisionKey, List<RoutingSnapshot.Endpoint>> combined(
            Map<String, Map<RevisionKey, List<RoutingSnapshot.Endpoint>>> byCluster) {
        Map<RevisionKey, List<RoutingSnapshot.Endpoint>> combined = new HashMap<>();
        byCluster.values().forEach(endpoints -> endpoints.forEach((key, ready) ->
                combined.computeIfAbsent(key, k -> new ArrayList<>()).addAll(ready)));
        return combined;
    }

    /**
     * Publishes the routing as a new version unless it equals the current one for every cluster's gateways; returns
     * whether it did.
     */
    private boolean publishIfChanged(Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints) {
        RoutingSnapshot candidate = RoutingSnapshots.assemble(current.version(), routes.values(), endpoints, lastDirect);
        Published made = new Published(List.copyOf(routes.values()), lastByCluster, lastDirect, gateways, tokenPeriod);
        Published before = published;
        if (Objects.equals(candidate.services(), current.services()) && Objects.equals(candidate.revisions(), current.revisions())
                && made.endpoints().equals(before.endpoints()) && made.direct().equals(before.direct())
                && made.gateways().equals(before.gateways())
                && made.tokenPeriod() == before.tokenPeriod() && placements(made).equals(placements(before))) {
            return false;
        }
        RoutingSnapshot published = new RoutingSnapshot(RoutingSnapshots.nextVersion(current.version(), clock.millis()),
                candidate.services(), candidate.revisions());
        CompletableFuture<RoutingSnapshot> waiting;
        synchronized (this) {
            this.published = made;
            current = published;
            waiting = next;
            if (!next.isCompletedExceptionally()) {
                next = new CompletableFuture<>();
            }
        }
        waiting.complete(published);
        listeners.forEach(listener -> listener.accept(published));
        return true;
    }
}

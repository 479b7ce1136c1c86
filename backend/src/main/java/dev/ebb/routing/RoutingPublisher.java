package dev.ebb.routing;

import dev.ebb.background.Ticker;
import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.leadership.Leadership;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RevisionObservation;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ChangedServices;
import dev.ebb.service.RoutedTraffic;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import dev.ebb.service.ServiceName;
import dev.ebb.service.ServiceRoutes;
import dev.ebb.spec.Template;
import dev.ebb.traffic.ResolvedTarget;
import java.time.Clock;
import java.time.Duration;
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
    private static final Duration TICK = Duration.ofMillis(20);
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
    private volatile RoutingSnapshot current = RoutingSnapshot.empty();
    /** When the oldest service change not yet in a round was committed (nanoTime), 0 when none waits. */
    private final AtomicLong changedSince = new AtomicLong();
    /** When the oldest change not yet published was committed (nanoTime), 0 when none waits. */
    private long unpublishedSince;
    private CompletableFuture<RoutingSnapshot> next = new CompletableFuture<>();

    /** @param runtimes where ready endpoints come from, on every cluster */
    public RoutingPublisher(ServiceCatalog catalog, ServiceRoutes serviceRoutes, RevisionStore revisions, Runtimes runtimes,
            Clock clock, Leadership leadership) {
        this.serviceRoutes = serviceRoutes;
        this.revisions = revisions;
        this.runtimes = runtimes;
        this.clock = clock;
        this.changed = new ChangedServices(catalog::allNames);
        // Only the leader's runtimes know the instances: a replica that follows publishes nothing, and gateways
        // (in-process ones too) keep the last routing it published.
        this.ticker = new Ticker("ebb-routing", TICK, leadership.whileLeading(this::round), e -> {
            changed.everything();
            log.warn("Building the routing snapshot failed; retrying", e);
        });
    }

    public void start() {
        runtimes.whenChanged(ticker::wake);
        ticker.start();
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        changed.add(event);
        changedSince.compareAndSet(0, System.nanoTime());
        ticker.wake();
    }

    /** Builds every service's routing again at the next round: this replica has just started leading. */
    public void rebuild() {
        changed.everything();
        ticker.wake();
    }

    public RoutingSnapshot current() {
        return current;
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
        long driverChanges = runtimes.changes();
        boolean urgent = false;
        if (driverChanges != observedChanges) {
            observedChanges = driverChanges;
            Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints = endpoints();
            if (!endpoints.equals(lastEndpoints)) {
                // A revision that had no instance has one now: requests are held for it, so publish at once.
                urgent = endpoints.keySet().stream().anyMatch(key -> !lastEndpoints.containsKey(key));
                lastEndpoints = endpoints;
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
                new RoutingSnapshot.Service(name.namespace(), name.name(), visibility, targets), revisionRoutes));
    }

    private Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints() {
        Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints = new HashMap<>();
        for (RevisionObservation observation : runtimes.observe()) {
            if (!observation.endpoints().isEmpty()) {
                endpoints.put(observation.key(), observation.endpoints().stream()
                        .map(e -> new RoutingSnapshot.Endpoint(e.instance(), e.host(), e.port())).toList());
            }
        }
        return endpoints;
    }

    /** Publishes the routing as a new version unless it equals the current one; returns whether it did. */
    private boolean publishIfChanged(Map<RevisionKey, List<RoutingSnapshot.Endpoint>> endpoints) {
        RoutingSnapshot candidate = RoutingSnapshots.assemble(current.version(), routes.values(), endpoints);
        if (Objects.equals(candidate.services(), current.services()) && Objects.equals(candidate.revisions(), current.revisions())) {
            return false;
        }
        RoutingSnapshot published = new RoutingSnapshot(RoutingSnapshots.nextVersion(current.version(), clock.millis()),
                candidate.services(), candidate.revisions());
        CompletableFuture<RoutingSnapshot> waiting;
        synchronized (this) {
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

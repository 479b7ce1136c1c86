package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A revision compiled for routing: who it belongs to, how to talk to it, its instances in this cluster, and the other
 * clusters where it runs.
 */
final class RevisionRoute {

    private static final Remote[] NO_REMOTES = {};
    /** Requests Knative's queue-proxy holds per concurrency slot of an instance before it answers 503. */
    static final int QUEUED_PER_SLOT = 10;

    /**
     * Another cluster where the revision is placed.
     *
     * @param ready its instances ready there
     * @param peer that cluster's gateway, null when it registered none
     */
    record Remote(String cluster, int ready, Backend peer) implements Hop.Choice {
    }

    private final String namespace;
    private final String service;
    private final String name;
    private final String key;
    private final RoutingSnapshot.Protocol protocol;
    private final long timeoutMillis;
    private final int concurrencyLimit;
    private final boolean listed;
    private final Backend[] backends;
    private final boolean placedHere;
    private final Remote[] remotes;
    private final boolean buffered;
    /** Rendered on the first refusal; two event loops racing render the same bytes. */
    private volatile Problems.Refusals refusals;

    /**
     * @param concurrencyLimit the most requests one instance may have in flight, 0 for no limit
     * @param listed whether the snapshot lists the revision; a target naming an unlisted one can never be served
     */
    RevisionRoute(String namespace, String service, String name, RoutingSnapshot.Protocol protocol, int timeoutSeconds,
            int concurrencyLimit, boolean listed, List<Backend> backends) {
        this(namespace, service, name, protocol, timeoutSeconds, concurrencyLimit, listed, backends, true, List.of(), true);
    }

    /**
     * @param placedHere whether the revision runs in this cluster: a request for it is held here while it is at zero
     * @param remotes the other clusters where it runs, in order of preference
     * @param buffered whether the gateway buffers requests that find no instance with room (the autoscaler's proxy mode)
     */
    RevisionRoute(String namespace, String service, String name, RoutingSnapshot.Protocol protocol, int timeoutSeconds,
            int concurrencyLimit, boolean listed, List<Backend> backends, boolean placedHere, List<Remote> remotes,
            boolean buffered) {
        this.namespace = namespace;
        this.service = service;
        this.name = name;
        this.key = key(namespace, name);
        this.protocol = protocol;
        this.timeoutMillis = timeoutSeconds > 0 ? timeoutSeconds * 1000L : 300_000L;
        this.concurrencyLimit = Math.max(0, concurrencyLimit);
        this.listed = listed;
        this.backends = backends.toArray(Backend[]::new);
        this.placedHere = placedHere;
        this.remotes = remotes.isEmpty() ? NO_REMOTES : remotes.toArray(Remote[]::new);
        this.buffered = buffered;
    }

    /** This revision's 503 problem bodies, rendered once. */
    Problems.Refusals refusals() {
        Problems.Refusals rendered = refusals;
        if (rendered == null) {
            rendered = new Problems.Refusals(this);
            refusals = rendered;
        }
        return rendered;
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    String namespace() {
        return namespace;
    }

    String service() {
        return service;
    }

    String name() {
        return name;
    }

    /** {@code namespace/name}: the same for this revision in every snapshot. */
    String key() {
        return key;
    }

    int instanceCount() {
        return backends.length;
    }

    boolean h2c() {
        return protocol == RoutingSnapshot.Protocol.H2C;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    int concurrencyLimit() {
        return concurrencyLimit;
    }

    boolean listed() {
        return listed;
    }

    boolean placedHere() {
        return placedHere;
    }

    /** The other clusters where the revision runs, in order of preference; not to be modified. */
    Remote[] remotes() {
        return remotes;
    }

    /** Whether a request for it may have to go to another cluster: false for a revision of one cluster, the usual case. */
    boolean crossCluster() {
        return remotes.length > 0 || !placedHere;
    }

    /**
     * How many of its requests may wait for an instance with room. The gateway in the request path (buffered, or at zero)
     * holds up to {@code queueDepth}, as Knative's activator does; out of it, requests go straight to the instances, and
     * only as many wait as Knative's queue-proxy would hold in front of them, {@value #QUEUED_PER_SLOT} per concurrency
     * slot, which is none to hold when the instances have no limit.
     */
    int holdLimit(int queueDepth) {
        if (buffered || atZero() || concurrencyLimit == 0) {
            return queueDepth;
        }
        return (int) Math.min(queueDepth, (long) QUEUED_PER_SLOT * concurrencyLimit * backends.length);
    }

    /** Whether no instance is ready: the revision is at zero (or not served at all). */
    boolean atZero() {
        return backends.length == 0;
    }

    /**
     * Takes a slot on the instance for the next request: the less loaded of those below the concurrency
     * limit. The caller owns the slot and gives it back with {@link Backend#finished()}.
     *
     * @return the instance, or null when none is ready or every one is at its limit
     */
    Backend claim(RandomGenerator random) {
        return claimOtherThan(Set.of(), random);
    }

    /** Like {@link #claim} but never one of the instances already tried. */
    Backend claimOtherThan(Set<Backend> tried, RandomGenerator random) {
        int[] candidates = new int[backends.length];
        while (true) {
            int count = 0;
            for (int i = 0; i < backends.length; i++) {
                Backend backend = backends[i];
                if (!tried.contains(backend) && (concurrencyLimit == 0 || backend.inFlight() < concurrencyLimit)) {
                    candidates[count++] = i;
                }
            }
            if (count == 0) {
                return null;
            }
            Backend chosen = backends[candidates[EndpointChooser.choose(count, i -> backends[candidates[i]].inFlight(), random)]];
            if (chosen.tryStart(concurrencyLimit)) {
                return chosen;
            }
            // Another event loop took its last slot since we looked: look again.
        }
    }
}
